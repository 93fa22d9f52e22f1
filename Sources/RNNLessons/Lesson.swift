// Lesson values; the parser and course live beside this file.
