import Foundation
import RNNLessons
import Testing

/// Narration and panels write numbers with one formatter, so a value reads the same in both.
@Suite struct NumberTextTests {
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func specialValuesAreSpelledOneWay(_ v: Double) throws {
        let spelled = try #require(NumberText.special(v))
        #expect(NumberText.placeholder(v, .automatic) == spelled)
        #expect(NumberText.placeholder(v, .percent) == spelled)
        #expect(NumberText.short(v) == spelled)
        #expect(NumberText.signed(v).trimmingCharacters(in: .whitespaces) == spelled)
    }

    @Test func placeholdersAndPanelsAgreeOnOrdinaryValues() {
        #expect(NumberText.placeholder(0.48213, .automatic) == "0.482")
        #expect(NumberText.placeholder(0.000012345, .automatic) == "1.23e-5")
        #expect(NumberText.placeholder(0.25, .percent) == "25.0%")
        #expect(NumberText.short(0.48213) == "0.482")
        #expect(NumberText.signed(0.094) == "+0.094")
    }
}
