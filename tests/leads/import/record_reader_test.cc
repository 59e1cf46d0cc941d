#include "leads/import/record_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "leads/import/delimited_reader.h"

namespace vaarta::leads::import {
namespace {

struct Table {
  FileFacts facts;
  std::vector<RawRecord> records;
  int64_t bytes_read = 0;
  int64_t bytes_total = 0;
};

Table ReadAll(std::unique_ptr<RecordReader> reader) {
  Table table;
  table.facts = reader->facts();
  RawRecord record;
  for (;;) {
    auto more = reader->Next(&record);
    EXPECT_TRUE(more.ok()) << more.error().message;
    if (!more.ok() || !*more) break;
    table.records.push_back(record);
  }
  table.bytes_read = reader->bytes_read();
  table.bytes_total = reader->bytes_total();
  return table;
}

Table Read(std::string bytes, std::string name = "leads.csv") {
  auto reader = OpenRecordReaderFromBuffer(std::move(bytes), std::move(name));
  EXPECT_TRUE(reader.ok()) << reader.error().message;
  if (!reader.ok()) return {};
  return ReadAll(std::move(reader).value());
}

using Cells = std::vector<std::string>;

std::vector<int64_t> Rows(const Table& table) {
  std::vector<int64_t> rows;
  for (const auto& record : table.records) rows.push_back(record.row);
  return rows;
}

// UTF-8 to UTF-16 code units, written out as bytes in either order (test data only).
std::string Utf16(const std::string& utf8, bool little_endian, bool bom) {
  std::u16string units;
  for (size_t i = 0; i < utf8.size();) {
    auto byte = static_cast<unsigned char>(utf8[i]);
    int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    char32_t c = length == 1   ? byte
                 : length == 2 ? byte & 0x1F
                 : length == 3 ? byte & 0x0F
                               : byte & 0x07;
    for (int k = 1; k < length; ++k)
      c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += static_cast<size_t>(length);
    if (c >= 0x10000) {
      c -= 0x10000;
      units.push_back(static_cast<char16_t>(0xD800 + (c >> 10)));
      units.push_back(static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
    } else {
      units.push_back(static_cast<char16_t>(c));
    }
  }
  std::string bytes;
  if (bom) units.insert(units.begin(), u'\xFEFF');
  for (char16_t unit : units) {
    char low = static_cast<char>(unit & 0xFF), high = static_cast<char>(unit >> 8);
    bytes.push_back(little_endian ? low : high);
    bytes.push_back(little_endian ? high : low);
  }
  return bytes;
}

TEST(RecordReader, ReadsTheSharedSampleFile) {
  auto reader = OpenRecordReader(std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.csv");
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Table table = ReadAll(std::move(reader).value());
  EXPECT_EQ(table.facts.format, "csv");
  EXPECT_EQ(table.facts.encoding, "utf-8-bom");
  EXPECT_EQ(table.facts.delimiter, ',');
  EXPECT_TRUE(table.facts.warnings.empty());
  ASSERT_EQ(table.records.size(), 16u);
  EXPECT_EQ(table.records[0].row, 1);
  EXPECT_EQ(table.records[0].cells, (Cells{"Name", "Contact Number", "Email", "City", "Language"}));
  EXPECT_EQ(table.records[3].cells, (Cells{"चंदन मिश्रा", "09415000001", "", "Prayagraj", "hi"}));
  EXPECT_EQ(table.records[4].cells,
            (Cells{"Dev, Rao", "91-8888800001", "dev@example.in", "Hyderabad", "en"}));
  EXPECT_EQ(table.records[4].original, "\"Dev, Rao\",91-8888800001,dev@example.in,Hyderabad,en");
  EXPECT_EQ(table.records[5].cells[0], "Esha \"E\" Jain");
  EXPECT_EQ(table.records[14].cells[1], "९४१५०००००२");
  EXPECT_EQ(table.bytes_read, table.bytes_total);

  // Every expected row is where the sample's expectations say, with its name.
  std::ifstream expected_file(std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.expected.json");
  auto expected = nlohmann::json::parse(expected_file);
  ASSERT_EQ(expected["rows"].size(), 15u);
  for (const auto& row : expected["rows"]) {
    const auto& record = table.records[row["row"].get<size_t>() - 1];
    EXPECT_EQ(record.row, row["row"].get<int64_t>());
    EXPECT_EQ(record.cells[0], row["name"].get<std::string>());
    EXPECT_TRUE(record.error.empty());
  }
}

TEST(RecordReader, StripsUtf8ByteOrderMark) {
  Table table = Read("\xEF\xBB\xBFName,Phone\nAnil,9812345670\n");
  EXPECT_EQ(table.facts.encoding, "utf-8-bom");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].cells, (Cells{"Name", "Phone"}));
}

TEST(RecordReader, ReadsUtf16LittleEndianWithByteOrderMark) {
  const std::string text =
      "नाम\tमोबाइल\r\n\"चंदन, मिश्रा\"\t9812345670\r\nBela 😀\t+91 91234 00001\r\n";
  Table table = Read(Utf16(text, true, true), "export.txt");
  EXPECT_EQ(table.facts.encoding, "utf-16le");
  EXPECT_EQ(table.facts.delimiter, '\t');
  EXPECT_EQ(table.facts.format, "tsv");
  EXPECT_TRUE(table.facts.warnings.empty());
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[0].cells, (Cells{"नाम", "मोबाइल"}));
  EXPECT_EQ(table.records[1].cells, (Cells{"चंदन, मिश्रा", "9812345670"}));
  EXPECT_EQ(table.records[2].cells, (Cells{"Bela 😀", "+91 91234 00001"}));
  EXPECT_EQ(Rows(table), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(table.bytes_read, table.bytes_total);
}

TEST(RecordReader, ReadsUtf16BigEndianWithByteOrderMark) {
  Table table = Read(Utf16("Name,Phone\nचंदन,9812345670\n", false, true));
  EXPECT_EQ(table.facts.encoding, "utf-16be");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[1].cells, (Cells{"चंदन", "9812345670"}));
}

TEST(RecordReader, RecognisesUtf16WithoutByteOrderMark) {
  Table table = Read(Utf16("Name;Phone\nचंदन;9812345670\nAnil;9812345671\n", true, false));
  EXPECT_EQ(table.facts.encoding, "utf-16le");
  EXPECT_EQ(table.facts.delimiter, ';');
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[1].cells, (Cells{"चंदन", "9812345670"}));
  ASSERT_EQ(table.facts.warnings.size(), 1u);
  EXPECT_NE(table.facts.warnings[0].find("no byte-order mark"), std::string::npos);
}

TEST(RecordReader, FallsBackToWindows1252WithAWarningNamingRowAndColumn) {
  Table table =
      Read("Name,Phone,Note\nAnil,9812345670,ok\nBela,9812345671,Caf\xE9 \x93special\x94\n");
  EXPECT_EQ(table.facts.encoding, "windows-1252");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[2].cells[2], "Café “special”");
  EXPECT_EQ(table.records[2].original, "Bela,9812345671,Café “special”");
  ASSERT_EQ(table.facts.warnings.size(), 1u);
  const std::string& warning = table.facts.warnings[0];
  EXPECT_NE(warning.find("not valid UTF-8"), std::string::npos) << warning;
  EXPECT_NE(warning.find("0xE9 at row 3, column 3"), std::string::npos) << warning;
  EXPECT_NE(warning.find("Windows-1252"), std::string::npos) << warning;
}

TEST(RecordReader, Windows1252NameInFirstColumn) {
  Table table = Read("Name,Phone\nJos\xE9,9812345670\n");
  EXPECT_EQ(table.facts.encoding, "windows-1252");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[1].cells[0], "José");
  ASSERT_EQ(table.facts.warnings.size(), 1u);
  EXPECT_NE(table.facts.warnings[0].find("row 2, column 1"), std::string::npos);
}

TEST(RecordReader, ReadsALegacyNonLatinEncodingWhenMostLettersAreInIt) {
  // "Имя,Телефон / Иван Петров ..." saved as Windows-1251: Windows-1252 would be garbage.
  Table table = Read(
      "\xC8\xEC\xFF,\xD2\xE5\xEB\xE5\xF4\xEE\xED\n"
      "\xC8\xE2\xE0\xED \xCF\xE5\xF2\xF0\xEE\xE2,9812345670\n"
      "\xCC\xE0\xF0\xE8\xFF \xC8\xE2\xE0\xED\xEE\xE2\xE0,9812345671\n"
      "\xD1\xE5\xF0\xE3\xE5\xE9 \xD1\xEC\xE8\xF0\xED\xEE\xE2,9812345672\n");
  EXPECT_EQ(table.facts.encoding, "windows-1251");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[0].cells, (Cells{"Имя", "Телефон"}));
  EXPECT_EQ(table.records[2].cells, (Cells{"Мария Иванова", "9812345671"}));
  ASSERT_EQ(table.facts.warnings.size(), 1u);
  EXPECT_NE(table.facts.warnings[0].find("looks like windows-1251"), std::string::npos);
}

TEST(RecordReader, KeepsGoodUtf8WhenAFewBytesAreNot) {
  // A UTF-8 file into which one Windows-1252 row was pasted: the Hindi names must
  // survive, the bad byte is read as its Windows-1252 letter, and the warning says where.
  Table table = Read("नाम,फ़ोन\nचंदन मिश्रा,9812345670\nसीमा,9812345671\n\"Jos\xE9\",9812345672\n");
  EXPECT_EQ(table.facts.encoding, "utf-8");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[1].cells[0], "चंदन मिश्रा");
  EXPECT_EQ(table.records[3].cells[0], "José");
  ASSERT_EQ(table.facts.warnings.size(), 1u);
  EXPECT_NE(table.facts.warnings[0].find("row 4, column 1"), std::string::npos)
      << table.facts.warnings[0];
}

TEST(RecordReader, SniffsSemicolonPipeAndTab) {
  Table semicolon = Read("Name;Phone;Amount\nAnil;9812345670;1,5\nBela;9812345671;2,25\n");
  EXPECT_EQ(semicolon.facts.delimiter, ';');
  EXPECT_EQ(semicolon.records[1].cells, (Cells{"Anil", "9812345670", "1,5"}));

  Table pipe = Read("Name|Phone|City\nDev, Rao|9812345670|Pune\n");
  EXPECT_EQ(pipe.facts.delimiter, '|');
  EXPECT_EQ(pipe.records[1].cells, (Cells{"Dev, Rao", "9812345670", "Pune"}));

  Table tab = Read("Name\tPhone\tNote\nRao, Dev\t9812345670\ta, b\n", "leads.txt");
  EXPECT_EQ(tab.facts.delimiter, '\t');
  EXPECT_EQ(tab.facts.format, "tsv");
  EXPECT_EQ(tab.records[1].cells, (Cells{"Rao, Dev", "9812345670", "a, b"}));
}

TEST(RecordReader, TsvExtensionPrefersTab) {
  // Commas split every line into the same number of cells too; the name decides.
  Table table = Read("a,b\tc,d\n1,2\t3,4\n", "leads.tsv");
  EXPECT_EQ(table.facts.delimiter, '\t');
  EXPECT_EQ(table.records[1].cells, (Cells{"1,2", "3,4"}));
}

TEST(RecordReader, OneColumnFileDefaultsToComma) {
  Table table = Read("Phone\n9812345670\n9812345671\n");
  EXPECT_EQ(table.facts.delimiter, ',');
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[2].cells, (Cells{"9812345671"}));
}

TEST(RecordReader, HonoursExcelSepLine) {
  Table table = Read("sep=;\r\nName;Phone\r\nDev, Rao;9812345670\r\n");
  EXPECT_EQ(table.facts.delimiter, ';');
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].row, 2);
  EXPECT_EQ(table.records[1].cells, (Cells{"Dev, Rao", "9812345670"}));
}

TEST(RecordReader, EmbeddedNewlineInQuotesKeepsRowNumbersOfLaterRows) {
  Table table = Read(
      "Name,Phone,Note\n"
      "Anil,9812345670,\"line one\nline two\r\nline three\"\n"
      "Bela,9812345671,plain\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(Rows(table), (std::vector<int64_t>{1, 2, 5}));
  EXPECT_EQ(table.records[1].cells[2], "line one\nline two\r\nline three");
  EXPECT_EQ(table.records[1].original, "Anil,9812345670,\"line one\nline two\r\nline three\"");
  EXPECT_EQ(table.records[2].cells, (Cells{"Bela", "9812345671", "plain"}));
}

TEST(RecordReader, HandlesCrLfAndLoneCr) {
  Table crlf = Read("Name,Phone\r\nAnil,1\r\nBela,2\r\n");
  ASSERT_EQ(crlf.records.size(), 3u);
  EXPECT_EQ(crlf.records[1].cells, (Cells{"Anil", "1"}));
  EXPECT_EQ(crlf.records[2].cells, (Cells{"Bela", "2"}));
  EXPECT_EQ(crlf.records[2].original, "Bela,2");

  Table cr = Read("Name,Phone\rAnil,1\r\rBela,2");
  ASSERT_EQ(cr.records.size(), 3u);
  EXPECT_EQ(Rows(cr), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(cr.records[2].cells, (Cells{"Bela", "2"}));
}

TEST(RecordReader, SkipsBlankLinesButCountsThem) {
  Table table = Read("\nName,Phone\n\nAnil,1\n   \n\r\nBela,2\n\n\n");
  EXPECT_EQ(Rows(table), (std::vector<int64_t>{2, 4, 7}));
  EXPECT_EQ(table.records[2].cells, (Cells{"Bela", "2"}));
}

TEST(RecordReader, PassesRaggedRowsThrough) {
  Table table = Read("a,b,c\n1,2\n1,2,3,4\n1,2,\n");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[1].cells, (Cells{"1", "2"}));
  EXPECT_EQ(table.records[2].cells, (Cells{"1", "2", "3", "4"}));
  EXPECT_EQ(table.records[3].cells, (Cells{"1", "2", ""}));
  for (const auto& record : table.records) EXPECT_TRUE(record.error.empty());
}

TEST(RecordReader, KeepsTextAfterAClosingQuoteAndQuotesInsideUnquotedCells) {
  Table table = Read("Name,Phone\n\"Dev\" Rao,1\nAnil \"Bhai\" Kapoor,2\n\"\",3\n");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[1].cells, (Cells{"Dev Rao", "1"}));
  EXPECT_EQ(table.records[2].cells, (Cells{"Anil \"Bhai\" Kapoor", "2"}));
  EXPECT_EQ(table.records[3].cells, (Cells{"", "3"}));
}

TEST(RecordReader, ReportsUnterminatedQuoteAndReadsTheRowsAfterIt) {
  Table table = Read("Name,Phone\nAnil,1\nBela,\"2\nChandan,3\nDeepa,4\n");
  ASSERT_EQ(table.records.size(), 5u);
  const RawRecord& bad = table.records[2];
  EXPECT_EQ(bad.row, 3);
  EXPECT_EQ(bad.error,
            "unterminated quote opened at row 3, column 2: no closing quote before the end of "
            "the file, so the rest of row 3 was read as plain text");
  EXPECT_EQ(bad.original, "Bela,\"2");
  EXPECT_EQ(bad.cells, (Cells{"Bela", "\"2"}));
  EXPECT_EQ(table.records[3].row, 4);
  EXPECT_EQ(table.records[3].cells, (Cells{"Chandan", "3"}));
  EXPECT_TRUE(table.records[3].error.empty());
  EXPECT_EQ(table.records[4].cells, (Cells{"Deepa", "4"}));
}

TEST(RecordReader, UnterminatedQuoteAtTheLastLine) {
  Table table = Read("Name,Phone\n\"Anil");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_NE(table.records[1].error.find("row 2, column 1"), std::string::npos);
  EXPECT_EQ(table.records[1].cells, (Cells{"\"Anil"}));
}

TEST(RecordReader, QuotedCellLongerThanAnyRealCellIsAnUnterminatedQuote) {
  std::string text = "Name,Phone\n\"Anil,1\n";
  for (int i = 0; i < 30000; ++i) text += "Bela Thomas Kochi,9812345670,some more text here\n";
  text += "Last,\"quoted, fine\"\n";
  Table table = Read(text);
  ASSERT_EQ(table.records.size(), 30003u);
  EXPECT_NE(table.records[1].error.find("within the next 1 MiB"), std::string::npos);
  EXPECT_EQ(table.records[2].row, 3);
  EXPECT_EQ(table.records[2].cells[0], "Bela Thomas Kochi");
  EXPECT_EQ(table.records.back().cells, (Cells{"Last", "quoted, fine"}));
  EXPECT_EQ(table.records.back().row, 30003);
}

TEST(RecordReader, ConvertsLargeFilesInChunksWithoutLosingRecordsAtTheSeams) {
  // Several MiB of UTF-16 so that records, quoted line breaks and CRLFs straddle the
  // boundaries of the 1 MiB conversion chunks.
  std::string text = "नाम,फ़ोन,टिप्पणी\r\n";
  const int rows = 40000;
  for (int i = 0; i < rows; ++i) {
    text += "\"चंदन " + std::to_string(i) + "\"," + std::to_string(9800000000LL + i) +
            (i % 7 == 0 ? ",\"दो\r\nपंक्तियाँ, \"\"उद्धरण\"\"\"\r\n" : ",ठीक\r\n");
  }
  Table table = Read(Utf16(text, true, true));
  ASSERT_EQ(table.records.size(), static_cast<size_t>(rows + 1));
  int64_t expected_row = 2;
  for (int i = 0; i < rows; ++i) {
    const RawRecord& record = table.records[static_cast<size_t>(i + 1)];
    ASSERT_EQ(record.row, expected_row) << i;
    ASSERT_EQ(record.cells.size(), 3u) << i;
    ASSERT_EQ(record.cells[0], "चंदन " + std::to_string(i));
    ASSERT_EQ(record.cells[1], std::to_string(9800000000LL + i));
    ASSERT_EQ(record.cells[2], i % 7 == 0 ? "दो\r\nपंक्तियाँ, \"उद्धरण\"" : "ठीक");
    expected_row += i % 7 == 0 ? 2 : 1;
  }
  EXPECT_EQ(table.bytes_read, table.bytes_total);
}

TEST(RecordReader, ConvertedRecordsAreTheSameWhereverTheChunksEnd) {
  // Every construct the tokenizer knows, read from UTF-16 and from UTF-8 with a stray
  // Windows-1252 byte, in conversion chunks of many sizes, must give what reading the
  // same text as plain UTF-8 gives.
  const std::string text =
      "नाम,फ़ोन,टिप्पणी\r\n"
      "\"चंदन, \"\"मिश्रा\"\"\",9812345670,\"दो\r\nपंक्तियाँ\"\r\n"
      "\r\n   \r\n"
      "Bela 😀,+91 91234 00001,\"\"\rDev,1,\"\"\"\"\n"
      "\"Dev\" Rao,2,x\rEsha,3,\"एक\n\n\"\"\"\"\" end\"\n"
      "Farhan,4,\"never closed\nGita,5,last";
  auto reference = OpenRecordReaderFromBuffer(text, "x.csv");
  ASSERT_TRUE(reference.ok());
  Table expected = ReadAll(std::move(reference).value());
  ASSERT_EQ(expected.records.size(), 8u);
  EXPECT_FALSE(expected.records[6].error.empty());

  const std::string repairable = text + "\nJos\xE9,6,x";
  auto repaired_reference = OpenRecordReaderFromBuffer(repairable, "x.csv");
  ASSERT_TRUE(repaired_reference.ok());
  Table repaired_expected = ReadAll(std::move(repaired_reference).value());
  ASSERT_EQ(repaired_expected.facts.encoding, "utf-8");
  ASSERT_EQ(repaired_expected.records.back().cells[0], "José");

  for (size_t chunk : {1, 2, 3, 5, 7, 16, 17, 31, 64, 100, 1000}) {
    for (bool little_endian : {true, false}) {
      auto reader = OpenDelimitedReader(
          InputBytes::FromString(Utf16(text, little_endian, true), "x.csv"), chunk);
      ASSERT_TRUE(reader.ok());
      Table table = ReadAll(std::move(reader).value());
      ASSERT_EQ(table.records.size(), expected.records.size()) << chunk;
      for (size_t i = 0; i < table.records.size(); ++i) {
        EXPECT_EQ(table.records[i].row, expected.records[i].row) << chunk << " " << i;
        EXPECT_EQ(table.records[i].cells, expected.records[i].cells) << chunk << " " << i;
        EXPECT_EQ(table.records[i].original, expected.records[i].original) << chunk << " " << i;
        EXPECT_EQ(table.records[i].error, expected.records[i].error) << chunk << " " << i;
      }
    }
    auto reader = OpenDelimitedReader(InputBytes::FromString(repairable, "x.csv"), chunk);
    ASSERT_TRUE(reader.ok());
    Table table = ReadAll(std::move(reader).value());
    ASSERT_EQ(table.records.size(), repaired_expected.records.size()) << chunk;
    for (size_t i = 0; i < table.records.size(); ++i) {
      EXPECT_EQ(table.records[i].row, repaired_expected.records[i].row) << chunk << " " << i;
      EXPECT_EQ(table.records[i].cells, repaired_expected.records[i].cells) << chunk << " " << i;
    }
  }
}

TEST(RecordReader, ReportsProgressInInputBytes) {
  const std::string text = "Name,Phone\nAnil,1\nBela,2\n";
  auto reader = OpenRecordReaderFromBuffer(text, "x.csv");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->bytes_total(), static_cast<int64_t>(text.size()));
  RawRecord record;
  ASSERT_TRUE(*(*reader)->Next(&record));
  EXPECT_EQ((*reader)->bytes_read(), 11);
  while (*(*reader)->Next(&record)) {
  }
  EXPECT_EQ((*reader)->bytes_read(), static_cast<int64_t>(text.size()));
}

TEST(RecordReader, RefusesFilesThatAreNotTables) {
  struct Case {
    std::string bytes, code, words;
  };
  const Case cases[] = {
      {"", "empty_file", "is empty"},
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(100, '\0'),
       "unsupported_format", ".xls"},
      {"%PDF-1.7\n...", "unsupported_format", "PDF"},
      {"\xEF\xBB\xBF  <html><body><table><tr><td>Name</td></tr></table>", "unsupported_format",
       "web page"},
      {std::string("\x01\x02\x03\x04\x05\x06hello\0\0\0\x07\x08", 16) + std::string(50, '\x01'),
       "unsupported_format", "binary"},
  };
  for (const auto& c : cases) {
    auto reader = OpenRecordReaderFromBuffer(c.bytes, "leads.xls");
    ASSERT_FALSE(reader.ok()) << c.words;
    EXPECT_EQ(reader.error().detail_code, c.code);
    EXPECT_NE(reader.error().message.find(c.words), std::string::npos) << reader.error().message;
  }
}

TEST(RecordReader, MissingFileIsAClearError) {
  auto reader = OpenRecordReader("/nonexistent/leads.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().detail_code, "file_unreadable");
  EXPECT_NE(reader.error().message.find("/nonexistent/leads.csv"), std::string::npos);
}

TEST(RecordReader, SniffDelimiterPrefersConsistentColumnCounts) {
  // Semicolons appear in every data row's note, but the commas agree with the header.
  EXPECT_EQ(SniffDelimiter("Name,Phone,Note\nA,1,x;y\nB,2,p;q\nC,3,r;s\n", true, false), ',');
  EXPECT_EQ(SniffDelimiter("Name|Phone\nA, B|1\n", true, false), '|');
  EXPECT_EQ(SniffDelimiter("Phone\n1\n", true, true), '\t');
  // Delimiters inside quotes do not count.
  EXPECT_EQ(SniffDelimiter("\"a;b\",c\n\"d;e\",f\n", true, false), ',');
}

}  // namespace
}  // namespace vaarta::leads::import
