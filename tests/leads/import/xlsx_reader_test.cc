#include "leads/import/xlsx_reader.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <utility>

#include "leads/import/record_reader.h"

namespace vaarta::leads::import {
namespace {

using Cells = std::vector<std::string>;
using Entries = std::vector<std::pair<std::string, std::string>>;

// A zip archive in memory, written with libzip as Excel would write a workbook.
std::string MakeZip(const Entries& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, content] : entries) {
    zip_source_t* file = zip_source_buffer(zip, content.data(), content.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), file, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);
  std::string bytes;
  EXPECT_EQ(zip_source_open(buffer), 0);
  char chunk[4096];
  for (zip_int64_t got; (got = zip_source_read(buffer, chunk, sizeof chunk)) > 0;) {
    bytes.append(chunk, static_cast<size_t>(got));
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return bytes;
}

const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>)";

const char* kPackageRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)";

std::string WorkbookXml(const std::string& first_state) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Leads" sheetId="1" )" +
         first_state + R"( r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets>
</workbook>)";
}

const char* kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>)";

// 0 "Name", 1 "Mobile No." (rich text in two runs), 2 "City", 3 "Anil" (with a phonetic
// guide that is not part of the value), 4 "Prayagraj".
const char* kSharedStrings =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
<si><t>Name</t></si>
<si><r><rPr><b/></rPr><t>Mobile</t></r><r><t xml:space="preserve"> No.</t></r></si>
<si><t>City</t></si>
<si><t>Anil</t><rPh sb="0" eb="1"><t>アニル</t></rPh></si>
<si><t>Prayagraj</t></si>
</sst>)";

std::string Sheet(const std::string& rows) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D5"/><sheetData>)" +
         rows + "</sheetData></worksheet>";
}

const char* kFirstSheetRows =
    R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>)"
    R"(<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>9.81234567E9</v></c><c r="C2" t="inlineStr"><is><t>Ambala</t></is></c></row>)"
    R"(<row r="3" ht="20" customHeight="1"><c r="A3" s="1"/></row>)"
    R"(<row r="4"><c r="A4" t="str"><f>CONCAT("चंदन"," मिश्रा")</f><v>चंदन मिश्रा</v></c><c r="C4" t="s"><v>4</v></c></row>)"
    R"(<row r="5"><c r="A5" t="inlineStr"><is><r><t>Dev, </t></r><r><t>"Rao"</t></r></is></c><c r="B5" t="n"><v>919812345670</v></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5"><v>0.1</v></c></row>)";

Entries Workbook(const std::string& first_sheet_rows, const std::string& first_state = "") {
  return {
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", kPackageRels},
      {"xl/workbook.xml", WorkbookXml(first_state)},
      {"xl/_rels/workbook.xml.rels", kWorkbookRels},
      {"xl/sharedStrings.xml", kSharedStrings},
      {"xl/worksheets/sheet1.xml", Sheet(first_sheet_rows)},
      {"xl/worksheets/sheet2.xml",
       Sheet(
           R"(<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
           R"(<x:c t="inlineStr"><x:is><x:t>Other</x:t></x:is></x:c><x:c><x:v>42</x:v></x:c></x:row>)")}};
}

struct Table {
  FileFacts facts;
  std::vector<RawRecord> records;
  core::Error failure;
  int64_t bytes_read = 0, bytes_total = 0;
};

Table ReadAll(const std::string& bytes) {
  Table table;
  auto reader = OpenRecordReaderFromBuffer(bytes, "leads.xlsx");
  EXPECT_TRUE(reader.ok()) << reader.error().message;
  if (!reader.ok()) return table;
  table.facts = (*reader)->facts();
  RawRecord record;
  for (;;) {
    auto more = (*reader)->Next(&record);
    if (!more.ok()) {
      table.failure = more.error();
      break;
    }
    if (!*more) break;
    table.records.push_back(record);
  }
  table.bytes_read = (*reader)->bytes_read();
  table.bytes_total = (*reader)->bytes_total();
  return table;
}

TEST(XlsxReader, ReadsTheFirstSheetWithEveryKindOfCell) {
  Table table = ReadAll(MakeZip(Workbook(kFirstSheetRows)));
  EXPECT_TRUE(table.failure.message.empty()) << table.failure.message;
  EXPECT_EQ(table.facts.format, "xlsx");
  EXPECT_EQ(table.facts.sheet, "Leads");
  ASSERT_EQ(table.facts.warnings.size(), 1u);
  EXPECT_NE(table.facts.warnings[0].find("2 sheets"), std::string::npos);
  ASSERT_EQ(table.records.size(), 4u);  // row 3 has only a formatted empty cell

  EXPECT_EQ(table.records[0].row, 1);
  EXPECT_EQ(table.records[0].cells, (Cells{"Name", "Mobile No.", "City"}));
  EXPECT_EQ(table.records[1].row, 2);
  EXPECT_EQ(table.records[1].cells, (Cells{"Anil", "9812345670", "Ambala"}));
  EXPECT_EQ(table.records[2].row, 4);
  EXPECT_EQ(table.records[2].cells, (Cells{"चंदन मिश्रा", "", "Prayagraj"}));
  EXPECT_EQ(table.records[2].original, "चंदन मिश्रा,,Prayagraj");
  EXPECT_EQ(table.records[3].row, 5);
  EXPECT_EQ(table.records[3].cells, (Cells{"Dev, \"Rao\"", "919812345670", "TRUE", "#N/A", "0.1"}));
  EXPECT_EQ(table.records[3].original, "\"Dev, \"\"Rao\"\"\",919812345670,TRUE,#N/A,0.1");
  for (const auto& record : table.records) EXPECT_TRUE(record.error.empty());
  EXPECT_GT(table.bytes_total, 0);
  EXPECT_EQ(table.bytes_read, table.bytes_total);
}

TEST(XlsxReader, SkipsAHiddenFirstSheetAndReadsPrefixedXmlWithoutReferences) {
  Table table = ReadAll(MakeZip(Workbook(kFirstSheetRows, R"(state="hidden")")));
  EXPECT_EQ(table.facts.sheet, "Other");
  ASSERT_EQ(table.records.size(), 1u);
  EXPECT_EQ(table.records[0].row, 1);
  EXPECT_EQ(table.records[0].cells, (Cells{"Other", "42"}));
}

TEST(XlsxReader, ReportsABadSharedStringOnItsRowAndGoesOn) {
  Table table = ReadAll(
      MakeZip(Workbook(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"
                       R"(<row r="2"><c r="A2" t="s"><v>99</v></c><c r="B2"><v>5</v></c></row>)"
                       R"(<row r="3"><c r="A3" t="s"><v>3</v></c></row>)")));
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[1].error, "cell A2 refers to shared string '99', but the workbook has 5");
  EXPECT_EQ(table.records[1].cells, (Cells{"", "5"}));
  EXPECT_TRUE(table.records[2].error.empty());
  EXPECT_EQ(table.records[2].cells, (Cells{"Anil"}));
}

TEST(XlsxReader, DamagedSheetXmlKeepsTheRowsBeforeItAndSaysWhere) {
  std::string rows;
  for (int r = 1; r <= 3000; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>" +
            std::to_string(9800000000LL + r) + "</v></c></row>";
  }
  rows += "<row r=\"3001\"><c r=\"A3001\"><v>1</c></row>";  // mismatched tag
  Table table = ReadAll(MakeZip(Workbook(rows)));
  EXPECT_EQ(table.records.size(), 3000u);
  EXPECT_EQ(table.records.back().cells, (Cells{"9800003000"}));
  EXPECT_EQ(table.failure.detail_code, "corrupt_xlsx");
  EXPECT_NE(table.failure.message.find("near row 3001"), std::string::npos)
      << table.failure.message;
  EXPECT_NE(table.failure.message.find("XML error at line"), std::string::npos);
}

TEST(XlsxReader, CorruptZipIsAClearError) {
  auto garbage = OpenRecordReaderFromBuffer(std::string("PK\x03\x04", 4) + std::string(200, 'x'),
                                            "leads.xlsx");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().detail_code, "corrupt_xlsx");
  EXPECT_NE(garbage.error().message.find("cannot be opened"), std::string::npos)
      << garbage.error().message;
  EXPECT_NE(garbage.error().message.find("save it again"), std::string::npos);

  // A workbook cut short by an interrupted upload.
  std::string whole = MakeZip(Workbook(kFirstSheetRows));
  auto truncated = OpenRecordReaderFromBuffer(whole.substr(0, whole.size() / 2), "leads.xlsx");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().detail_code, "corrupt_xlsx");
  EXPECT_NE(truncated.error().message.find("partly uploaded"), std::string::npos);
}

TEST(XlsxReader, RefusesOtherZipArchivesSayingWhatTheyAre) {
  auto ods = OpenRecordReaderFromBuffer(
      MakeZip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
               {"content.xml", "<x/>"}}),
      "leads.ods");
  ASSERT_FALSE(ods.ok());
  EXPECT_EQ(ods.error().detail_code, "unsupported_format");
  EXPECT_NE(ods.error().message.find("OpenDocument"), std::string::npos);

  auto zipped_csv = OpenRecordReaderFromBuffer(MakeZip({{"leads.csv", "Name,Phone\n"}}), "x.zip");
  ASSERT_FALSE(zipped_csv.ok());
  EXPECT_EQ(zipped_csv.error().detail_code, "unsupported_format");
  EXPECT_NE(zipped_csv.error().message.find("'leads.csv'"), std::string::npos)
      << zipped_csv.error().message;
}

TEST(XlsxReader, FormatsNumbersAsExcelShowsThem) {
  EXPECT_EQ(FormatSpreadsheetNumber("9.81234567E9"), "9812345670");
  EXPECT_EQ(FormatSpreadsheetNumber("9812345670"), "9812345670");
  EXPECT_EQ(FormatSpreadsheetNumber("9.12345E+09"), "9123450000");
  EXPECT_EQ(FormatSpreadsheetNumber("919812345670"), "919812345670");
  EXPECT_EQ(FormatSpreadsheetNumber("-5"), "-5");
  EXPECT_EQ(FormatSpreadsheetNumber("-0"), "0");
  EXPECT_EQ(FormatSpreadsheetNumber("12.50"), "12.5");
  EXPECT_EQ(FormatSpreadsheetNumber("0.1"), "0.1");
  EXPECT_EQ(FormatSpreadsheetNumber("45292"), "45292");  // a date: left as its serial number
  EXPECT_EQ(FormatSpreadsheetNumber("1E+21"), "1e+21");
  EXPECT_EQ(FormatSpreadsheetNumber("not a number"), "not a number");
  EXPECT_EQ(FormatSpreadsheetNumber(""), "");
}

TEST(XlsxReader, ColumnsOfCellReferences) {
  EXPECT_EQ(ColumnOfCellReference("A1"), 0);
  EXPECT_EQ(ColumnOfCellReference("C5"), 2);
  EXPECT_EQ(ColumnOfCellReference("Z9"), 25);
  EXPECT_EQ(ColumnOfCellReference("AA10"), 26);
  EXPECT_EQ(ColumnOfCellReference("XFD1"), 16383);
  EXPECT_EQ(ColumnOfCellReference("12"), -1);
}

}  // namespace
}  // namespace vaarta::leads::import
