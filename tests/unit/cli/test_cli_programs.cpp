// `stridelab` starts without Qt (DESIGN.md "Budgets": --version <= 10 ms), and `stridelab
// report` still behaves as one subcommand although the report is the separate program
// stridelab-report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "stridelab/core/version.hpp"
#include "support/process.hpp"

namespace stridelab::testing {
namespace {

namespace fs = std::filesystem;

std::string bundled(const char* name) {
  return std::string(STRIDELAB_SOURCE_DIR) + "/recordings/sim/" + name;
}

// The loader's own list (what `ldd` prints): every library the process maps at start-up,
// those the direct dependencies pull in included.
TEST(CliPrograms, StridelabLoadsNoQtLibrary) {
  const ProcessResult r = run_process({"/usr/bin/ldd", stridelab_binary()});
  ASSERT_EQ(r.status, 0) << r.output();
  EXPECT_NE(r.out.find("libc.so"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("libhdf5"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("libQt"), std::string::npos) << r.out;
}

TEST(CliPrograms, VersionPrintsTheVersion) {
  const ProcessResult r = run_stridelab({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string(version()) + "\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliPrograms, ReportWithoutTheReportProgramSaysWhatIsMissing) {
  const fs::path dir = fresh_dir("lonely-cli");
  fs::copy_file(stridelab_binary(), dir / "stridelab");
  const ProcessResult r =
      run_process({(dir / "stridelab").string(), "report", bundled("walk_200hz.h5"), "--pdf",
                   (dir / "r.pdf").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find((dir / "stridelab-report").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("STRIDELAB_BUILD_GUI=ON"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r.pdf"));
  fs::remove_all(dir);
}

TEST(CliPrograms, ReportHandsEveryArgumentToTheReportProgram) {
  if (!STRIDELAB_REPORT_BUILT) GTEST_SKIP() << "built without the GUI: no stridelab-report";
  const std::string report = built_program("stridelab-report");
  // Help and usage errors are the report program's own, word for word and exit status.
  const ProcessResult help = run_stridelab({"report", "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, run_process({report, "--help"}).out);
  EXPECT_EQ(help.out.rfind("One-page patient report (A4 PDF and/or PNG)\n"
                           "Usage: stridelab report [OPTIONS] REC\n",
                           0),
            0u)
      << help.out;
  for (const std::string flag : {"--pdf", "--png", "--dpi", "--from", "--to", "--subject"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  const ProcessResult usage = run_stridelab({"report", bundled("run_200hz.h5")});
  EXPECT_EQ(usage.status, 64);
  EXPECT_EQ(usage.err, "stridelab: report: give --pdf FILE and/or --png FILE\n");
  EXPECT_EQ(run_stridelab({"report"}).status, 64);

  // A report: the options after REC reach the program (a 60 dpi A4 page is 496 px wide).
  const fs::path dir = fresh_dir("report-cli");
  const fs::path png = dir / "r.png";
  const ProcessResult ok = run_stridelab(
      {"report", bundled("walk_200hz.h5"), "--png", png.string(), "--dpi", "60", "--subject", "X"});
  ASSERT_EQ(ok.status, 0) << ok.output();
  EXPECT_EQ(ok.out.rfind("report: ", 0), 0u) << ok.out;
  EXPECT_NE(ok.out.find(" steps, " + png.string() + "\n"), std::string::npos) << ok.out;
  std::ifstream in(png, std::ios::binary);
  std::string head(24, '\0');
  ASSERT_TRUE(in.read(head.data(), 24));
  EXPECT_EQ(head.substr(1, 3), "PNG");
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(head[at + k]);
    return v;
  };
  EXPECT_EQ(be32(16), 496u);  // IHDR width: 210 mm at 60 dpi
  fs::remove_all(dir);
}

}  // namespace
}  // namespace stridelab::testing
