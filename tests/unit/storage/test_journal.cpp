// The crash journal (`<path>.journal`, docs/FILE_FORMAT.md "Crash safety"): a forked child
// records through RecordingWriter and dies without closing (as after kill -9), then the parent
// damages the HDF5 file or the journal the way an interrupted write() does and checks what
// read_recording() restores.
#include <sys/wait.h>
#include <unistd.h>

#include "storage_test_util.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "stridelab/storage/recording_writer.hpp"

namespace stridelab::storage::test {
namespace {

fs::path journal_of(const fs::path& file) {
  return fs::path(file.string() + ".journal");
}

// The first `fraction` of every sensor of `rec` (gaps that fall inside kept).
Recording first_part(const Recording& rec, double fraction) {
  Recording out = rec;
  for (auto& s : out.sensors) {
    const auto n = static_cast<std::size_t>(fraction * static_cast<double>(s.size()));
    s.time_s.resize(n);
    s.device_time_s.resize(n);
    s.acc.resize(n);
    if (s.info.has_gyr) s.gyr.resize(n);
    if (s.info.has_mag) s.mag.resize(n);
    std::erase_if(s.gaps, [&](const Gap& g) { return g.index > n; });
  }
  return out;
}

// Child: records `rec` in `flushes` equal batches (flush after each), copies the HDF5 file to
// `<file>.snap.h5` after flush number `snapshot_after` (0 = never), then dies without closing.
void record_and_die(const fs::path& file, const Recording& rec, int flushes,
                    int snapshot_after = 0) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    try {
      std::vector<SensorInfo> infos;
      for (const auto& s : rec.sensors) infos.push_back(s.info);
      WriterOptions opts;
      opts.flush_interval_s = 1e9;  // only the explicit flushes
      opts.chunk_rows = 256;
      RecordingWriter writer(file, rec, infos, opts);
      std::vector<std::size_t> done(rec.sensors.size(), 0), gaps(rec.sensors.size(), 0);
      for (int f = 1; f <= flushes; ++f) {
        for (std::size_t k = 0; k < rec.sensors.size(); ++k) {
          const SensorData& s = rec.sensors[k];
          const std::size_t end = s.size() * static_cast<std::size_t>(f) / flushes;
          for (; done[k] < end; ++done[k]) {
            while (gaps[k] < s.gaps.size() && s.gaps[gaps[k]].index == done[k])
              writer.add_gap(k, s.gaps[gaps[k]++]);
            writer.append(k, s.sample(done[k]), s.device_time_s[done[k]]);
          }
          while (gaps[k] < s.gaps.size() && s.gaps[gaps[k]].index == done[k])
            writer.add_gap(k, s.gaps[gaps[k]++]);
        }
        writer.flush();
        if (f == snapshot_after)
          fs::copy_file(file, file.string() + ".snap.h5", fs::copy_options::overwrite_existing);
      }
      ::_exit(0);  // with the writer in scope: no close, the file stays marked open
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
      ::_exit(2);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed";
}

// Overwrites the second half of the file with garbage: its datasets no longer read.
void damage(const fs::path& file) {
  std::string bytes = read_text(file);
  for (std::size_t i = bytes.size() / 2; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i);
  write_text(file, bytes);
}

std::string recovered_note(const Recording& rec) {
  auto it = rec.attributes.find("recovered");
  return it == rec.attributes.end() ? "" : it->second;
}

Recording without_note(Recording rec) {
  rec.attributes.erase("recovered");
  return rec;
}

TEST(WriterJournal, CleanCloseRemovesTheJournalAndOpenRemovesAStaleOne) {
  ScratchDir dir;
  const Recording rec = make_recording();
  const fs::path file = dir / "rec.h5";
  write_text(journal_of(file), "left over from an earlier session");
  std::vector<SensorInfo> infos;
  for (const auto& s : rec.sensors) infos.push_back(s.info);
  {
    RecordingWriter writer(file, rec, infos);
    EXPECT_TRUE(fs::exists(journal_of(file)));
    EXPECT_NE(read_text(journal_of(file)), "left over from an earlier session");
    writer.append(0, rec.sensors[0].sample(0), rec.sensors[0].device_time_s[0]);
    writer.close();
  }
  EXPECT_FALSE(fs::exists(journal_of(file)));
  // Batch writes (crash_safe = false) never make one.
  write_recording(dir / "batch.h5", rec);
  EXPECT_FALSE(fs::exists(journal_of(dir / "batch.h5")));
}

TEST(WriterJournal, RestoresAKilledRecordingWhoseHdf5FileIsUnreadable) {
  ScratchDir dir;
  const Recording rec = make_recording();
  const fs::path file = dir / "rec.h5";
  record_and_die(file, rec, 4);
  ASSERT_TRUE(fs::exists(journal_of(file)));
  damage(file);
  Recording got;
  ASSERT_NO_THROW(got = read_recording(file));
  const std::string note = recovered_note(got);
  EXPECT_NE(note.find("HDF5 data is unreadable"), std::string::npos) << note;
  EXPECT_NE(note.find("restored from " + journal_of(file).string()), std::string::npos) << note;
  EXPECT_NE(note.find("pelvis 5000, trunk 1234"), std::string::npos) << note;
  expect_same_recording(without_note(got), rec);
  // ... and converts into a clean file that no longer needs the journal.
  write_recording(dir / "clean.h5", got);
  expect_same_recording(without_note(read_recording(dir / "clean.h5")), rec);
}

TEST(WriterJournal, ACutOffOrDamagedJournalTailLosesOnlyTheLastFlush) {
  ScratchDir dir;
  const Recording rec = make_recording();
  const fs::path file = dir / "rec.h5";
  record_and_die(file, rec, 4);
  damage(file);
  const std::string journal = read_text(journal_of(file));
  // The last flush wrote the trunk's last quarter as the last record: 1234 - 925 = 309 rows of
  // 5 doubles, plus 16 bytes of record fields, 8 of head and 4 of CRC.
  const std::size_t last_record = 8 + 16 + 309 * 5 * 8 + 4;
  const Recording expected = [&] {
    Recording r = rec;
    Recording part = first_part(rec, 0.75);
    r.sensors[1] = part.sensors[1];  // pelvis complete, trunk up to flush 3
    return r;
  }();
  for (const std::size_t cut : {std::size_t{1}, std::size_t{100}, last_record - 1}) {
    SCOPED_TRACE("cut " + std::to_string(cut));
    write_text(journal_of(file), journal.substr(0, journal.size() - cut));
    Recording got;
    ASSERT_NO_THROW(got = read_recording(file));
    EXPECT_NE(recovered_note(got).find("cut off"), std::string::npos) << recovered_note(got);
    expect_same_recording(without_note(got), expected);
  }
  // A flipped byte inside the last record: its CRC fails, the records before it stand.
  std::string flipped = journal;
  flipped[flipped.size() - 50] ^= 0x20;
  write_text(journal_of(file), flipped);
  Recording got;
  ASSERT_NO_THROW(got = read_recording(file));
  EXPECT_NE(recovered_note(got).find("CRC-32"), std::string::npos) << recovered_note(got);
  expect_same_recording(without_note(got), expected);
  // Exactly the whole last record gone: a clean end, nothing to report.
  write_text(journal_of(file), journal.substr(0, journal.size() - last_record));
  ASSERT_NO_THROW(got = read_recording(file));
  expect_same_recording(without_note(got), expected);
  // A journal without its header cannot restore anything: the HDF5 error is reported.
  write_text(journal_of(file), journal.substr(0, 20));
  const std::string error = error_of([&] { read_recording(file); });
  EXPECT_NE(error.find("restoring from the journal failed too"), std::string::npos) << error;
}

TEST(WriterJournal, IntactFileAndJournalGiveEveryRowOnce) {
  ScratchDir dir;
  const Recording rec = make_recording();
  const fs::path file = dir / "rec.h5";
  record_and_die(file, rec, 4, /*snapshot_after=*/2);
  // Both complete: the HDF5 file is read, the journal adds nothing.
  Recording got = read_recording(file);
  EXPECT_EQ(recovered_note(got).find("journal"), std::string::npos) << recovered_note(got);
  expect_same_recording(without_note(got), rec);
  // The HDF5 file as it was after flush 2 (a kill inside flush 3's HDF5 writes): the journal
  // is ahead and supplies the rest, each row once.
  ASSERT_EQ(read_recording(file.string() + ".snap.h5").sensors[0].size(), 2500u);
  fs::copy_file(file.string() + ".snap.h5", file, fs::copy_options::overwrite_existing);
  got = read_recording(file);
  const std::string note = recovered_note(got);
  EXPECT_NE(note.find("samples added from " + journal_of(file).string()), std::string::npos)
      << note;
  expect_same_recording(without_note(got), rec);
  // A journal that disagrees with the file where they overlap is not used to extend it.
  fs::copy_file(file.string() + ".snap.h5", dir / "other.h5");
  Recording shifted = rec;
  for (auto& s : shifted.sensors)
    for (auto& t : s.time_s) t += 1.0;
  record_and_die(dir / "shifted.h5", shifted, 4);
  fs::copy_file(journal_of(dir / "shifted.h5"), journal_of(dir / "other.h5"));
  got = read_recording(dir / "other.h5");
  EXPECT_EQ(got.sensors[0].size(), 2500u);
  expect_same_recording(without_note(got), first_part(rec, 0.5));
}

}  // namespace
}  // namespace stridelab::storage::test
