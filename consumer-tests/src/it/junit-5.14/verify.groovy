// All three tests of the consumer ran and passed (surefire's report), on the JUnit the consumer chose.
def report = new File(basedir, 'target/surefire-reports/TEST-org.example.shop.ShopStackTest.xml')
assert report.isFile() : "no surefire report: ${report}"
def suite = (report.text =~ /<testsuite [^>]*>/)[0]
assert suite.contains('tests="3"') : suite
assert suite.contains('failures="0"') && suite.contains('errors="0"') && suite.contains('skipped="0"') : suite
