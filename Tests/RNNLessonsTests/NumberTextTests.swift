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

    @Test func cellsNeverPrintZeroForAValueThatIsNot() {
        #expect(NumberText.signed(-0.00031, width: 5) == "-3e-4")
        #expect(NumberText.signed(0.0000123, width: 6) == " +1e-5")
        #expect(NumberText.signed(0.0000123, width: 7) == "+1.2e-5")
        #expect(NumberText.signed(0.004, width: 5) == "+4e-3")
        #expect(NumberText.signed(0.04, width: 5) == "+0.04")
        #expect(NumberText.signed(0, width: 5) == "+0.00")
        #expect(NumberText.signed(-2e-12, width: 6) == "-2e-12")
    }
}
