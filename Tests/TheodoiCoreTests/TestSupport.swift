import Foundation

extension String {
    /// The NFD form, built with Foundation so the tests do not depend on the code under test.
    var decomposedStringWithCanonicalMappingForTest: String { decomposedStringWithCanonicalMapping }
}
