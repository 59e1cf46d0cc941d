// Reading speed of the import's file readers, on files like businesses bring:
//   record_reader_bench [ROWS=1000000] [XLSX_ROWS=100000] [DIR=/tmp]
// Writes a CSV of ROWS lead rows (~80 bytes each: English and Devanagari names, phone
// numbers as people type them, quoted tags), the same text as UTF-16LE, and an XLSX of
// XLSX_ROWS rows (shared strings, numeric phone numbers, inline strings) written with
// libzip; then times OpenRecordReader plus Next() over each and prints rows/s and MB/s.
#include <zip.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "leads/import/column_mapping.h"
#include "leads/import/record_reader.h"

namespace {

using vaarta::leads::import::RawRecord;

const char* kFirst[] = {"Anil",  "Bela",  "Chandan", "Deepa", "Esha", "Farhan", "Gita",
                        "Harsh", "Indu",  "Jatin",   "Kiran", "Lata", "Manoj",  "Nisha",
                        "Om",    "Priya", "राहुल",    "सीमा",  "अमित", "पूजा"};
const char* kLast[] = {"Sharma", "Verma", "Iyer",  "Khan",  "Das",
                       "Patel",  "Rao",   "Singh", "मिश्रा", "गुप्ता"};
const char* kCities[] = {"Mumbai", "Delhi",  "Bengaluru", "Chennai", "Kolkata",
                         "Pune",   "Jaipur", "Lucknow",   "Surat",   "इंदौर"};
const char* kLanguages[] = {"hi", "en", "Hindi", "English", ""};

struct Row {
  std::string name, phone, email, city, language, tags;
};

Row MakeRow(std::mt19937_64& rng, long i) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%d%08llu", 70 + static_cast<int>(rng() % 30),
                static_cast<unsigned long long>(rng() % 100000000ULL));
  std::string national = digits;
  Row row;
  switch (rng() % 4) {
    case 0:
      row.phone = national;
      break;
    case 1:
      row.phone = "+91 " + national.substr(0, 5) + " " + national.substr(5);
      break;
    case 2:
      row.phone = "0" + national;
      break;
    default:
      row.phone = "91-" + national;
      break;
  }
  row.name = std::string(kFirst[rng() % 20]) + " " + kLast[rng() % 10];
  row.email = "lead" + std::to_string(i) + "@example.in";
  row.city = kCities[rng() % 10];
  row.language = kLanguages[rng() % 5];
  row.tags = rng() % 4 == 0 ? "hot,diwali" : "";
  return row;
}

std::string MakeCsv(long rows) {
  std::mt19937_64 rng(42);
  std::string text = "Customer Name,Mobile No.,E-mail ID,City,Language,Tags\r\n";
  text.reserve(static_cast<size_t>(rows) * 90);
  for (long i = 0; i < rows; ++i) {
    Row row = MakeRow(rng, i);
    text += "\"" + row.name + "\"," + row.phone + "," + row.email + "," + row.city + "," +
            row.language + "," + (row.tags.empty() ? "" : "\"" + row.tags + "\"") + "\r\n";
  }
  return text;
}

// UTF-8 to UTF-16LE with a byte-order mark (the generator's text has no invalid bytes).
std::string ToUtf16Le(const std::string& utf8) {
  std::string out = "\xFF\xFE";
  out.reserve(utf8.size() * 2 + 2);
  for (size_t i = 0; i < utf8.size();) {
    auto byte = static_cast<unsigned char>(utf8[i]);
    int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    uint32_t c = length == 1   ? byte
                 : length == 2 ? byte & 0x1F
                 : length == 3 ? byte & 0x0F
                               : byte & 0x07;
    for (int k = 1; k < length; ++k)
      c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += static_cast<size_t>(length);
    auto put = [&](uint32_t unit) {
      out.push_back(static_cast<char>(unit & 0xFF));
      out.push_back(static_cast<char>(unit >> 8));
    };
    if (c >= 0x10000) {
      put(0xD800 + ((c - 0x10000) >> 10));
      put(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      put(c);
    }
  }
  return out;
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

std::string ColumnName(int column) { return std::string(1, static_cast<char>('A' + column)); }

// An XLSX as Excel writes it: names and cities as shared strings, national numbers as
// numbers (some in the exponent form Excel uses), e-mails and tags as inline strings.
bool WriteXlsx(const std::string& path, long rows) {
  std::mt19937_64 rng(7);
  std::vector<std::string> shared;
  std::string sheet =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
  const char* headers[] = {"Customer Name", "Mobile No.", "E-mail ID", "City", "Language", "Tags"};
  sheet += "<row r=\"1\">";
  for (int c = 0; c < 6; ++c) {
    sheet +=
        "<c r=\"" + ColumnName(c) + "1\" t=\"inlineStr\"><is><t>" + headers[c] + "</t></is></c>";
  }
  sheet += "</row>";
  std::vector<std::string> pool;  // shared strings: every name and city
  for (auto first : kFirst) {
    for (auto last : kLast) pool.push_back(std::string(first) + " " + last);
  }
  for (auto city : kCities) pool.push_back(city);
  for (long i = 0; i < rows; ++i) {
    const std::string r = std::to_string(i + 2);
    const long long national = 7000000000LL + static_cast<long long>(rng() % 3000000000ULL);
    char number[32];
    if (i % 3 == 0) {
      std::snprintf(number, sizeof number, "%.9E", static_cast<double>(national));
    } else {
      std::snprintf(number, sizeof number, "%lld", national);
    }
    sheet += "<row r=\"" + r + "\"><c r=\"A" + r + "\" t=\"s\"><v>" + std::to_string(rng() % 200) +
             "</v></c><c r=\"B" + r + "\"><v>" + number + "</v></c><c r=\"C" + r +
             "\" t=\"inlineStr\"><is><t>lead" + std::to_string(i) +
             "@example.in</t></is></c><c r=\"D" + r + "\" t=\"s\"><v>" +
             std::to_string(200 + rng() % 10) + "</v></c>";
    if (i % 4 == 0) {
      sheet += "<c r=\"F" + r + "\" t=\"inlineStr\"><is><t>hot,diwali</t></is></c>";  // E omitted
    }
    sheet += "</row>";
  }
  sheet += "</sheetData></worksheet>";
  std::string strings =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas."
      "openxmlformats.org/spreadsheetml/2006/main\">";
  for (const auto& s : pool) strings += "<si><t>" + Escape(s) + "</t></si>";
  strings += "</sst>";
  const std::string content_types =
      "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
      "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
      "ContentType=\"application/xml\"/></Types>";
  const std::string package_rels =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
      "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
      "officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
      "</Relationships>";
  const std::string workbook =
      "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
      "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships\"><sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
      "</workbook>";
  const std::string workbook_rels =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
      "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
      "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
  std::remove(path.c_str());
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) return false;
  const std::pair<const char*, const std::string*> entries[] = {
      {"[Content_Types].xml", &content_types}, {"_rels/.rels", &package_rels},
      {"xl/workbook.xml", &workbook},          {"xl/_rels/workbook.xml.rels", &workbook_rels},
      {"xl/sharedStrings.xml", &strings},      {"xl/worksheets/sheet1.xml", &sheet}};
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(zip, content->data(), content->size(), 0);
    if (zip_file_add(zip, name, source, ZIP_FL_ENC_UTF_8) < 0) return false;
  }
  return zip_close(zip) == 0;
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  return std::fclose(file) == 0 && ok;
}

// Opens and reads the whole file; returns false on any error.
bool Time(const std::string& label, const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  auto reader = vaarta::leads::import::OpenRecordReader(path);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), reader.error().message.c_str());
    return false;
  }
  RawRecord record;
  long records = 0, cells = 0;
  for (;;) {
    auto more = (*reader)->Next(&record);
    if (!more.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), more.error().message.c_str());
      return false;
    }
    if (!*more) break;
    if (records == 0) {
      auto mapping = vaarta::leads::import::MapColumns(record.cells, {});
      if (!mapping.ok()) return false;
    }
    ++records;
    cells += static_cast<long>(record.cells.size());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double megabytes = static_cast<double>((*reader)->bytes_total()) / 1e6;
  std::printf("%-28s %9ld records %10ld cells %8.1f MB %7.3f s %10.0f rows/s %7.1f MB/s  [%s]\n",
              label.c_str(), records, cells, megabytes, seconds, records / seconds,
              megabytes / seconds, (*reader)->facts().encoding.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 1000000;
  const long xlsx_rows = argc > 2 ? std::atol(argv[2]) : 100000;
  const std::string dir = argc > 3 ? argv[3] : "/tmp";
  const std::string csv = dir + "/record_reader_bench.csv";
  const std::string utf16 = dir + "/record_reader_bench_utf16.csv";
  const std::string repair = dir + "/record_reader_bench_stray_byte.csv";
  const std::string xlsx = dir + "/record_reader_bench.xlsx";

  std::string text = MakeCsv(rows);
  if (!WriteFile(csv, text) || !WriteFile(utf16, ToUtf16Le(text)) ||
      !WriteFile(repair, text + "Jos\xE9,9812345670,,,,\r\n") || !WriteXlsx(xlsx, xlsx_rows)) {
    std::perror("writing the benchmark files");
    return 1;
  }
  text.clear();
  text.shrink_to_fit();
  bool ok = true;
  for (int run = 0; run < 2; ++run) {  // the second run reads from a warm page cache
    std::printf("run %d\n", run + 1);
    ok = Time("CSV UTF-8", csv) && Time("CSV UTF-16LE", utf16) &&
         Time("CSV UTF-8, one bad byte", repair) && Time("XLSX", xlsx) && ok;
  }
  if (!std::getenv("KEEP"))
    for (const auto& path : {csv, utf16, repair, xlsx}) std::remove(path.c_str());
  return ok ? 0 : 1;
}
