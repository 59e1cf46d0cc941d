#include "leads/import/column_mapping.h"

#include <gtest/gtest.h>

namespace vaarta::leads::import {
namespace {

using Fields = std::map<LeadField, int>;
using Custom = std::vector<std::pair<int, std::string>>;

ColumnMapping Map(const std::vector<std::string>& headers,
                  const std::vector<std::string>& maps = {}) {
  auto mapping = MapColumns(headers, maps);
  EXPECT_TRUE(mapping.ok()) << mapping.error().message;
  return mapping.ok() ? *mapping : ColumnMapping{};
}

bool AnyNoteContains(const ColumnMapping& mapping, const std::string& text) {
  for (const auto& note : mapping.notes) {
    if (note.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ColumnMapping, MapsCommonEnglishHeaders) {
  ColumnMapping mapping =
      Map({"Customer Name", "Mobile No.", "E-mail ID", "City", "State", "Language", "Tags",
           "Lead Source", "Assigned To", "Remarks", "Company", "Time Zone", "Alternate Number"});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kName, 0},
                                    {LeadField::kPhone, 1},
                                    {LeadField::kEmail, 2},
                                    {LeadField::kCity, 3},
                                    {LeadField::kState, 4},
                                    {LeadField::kLanguage, 5},
                                    {LeadField::kTags, 6},
                                    {LeadField::kSource, 7},
                                    {LeadField::kOwner, 8},
                                    {LeadField::kNotes, 9},
                                    {LeadField::kTimeZone, 11},
                                    {LeadField::kAltPhone, 12}}));
  EXPECT_EQ(mapping.custom, (Custom{{10, "Company"}}));
  EXPECT_TRUE(AnyNoteContains(mapping, "phone: 'Mobile No.' (column 2), a known header name"));
  EXPECT_TRUE(AnyNoteContains(mapping, "kept as custom fields: 'Company' (column 11)"));
}

TEST(ColumnMapping, MapsTheSampleAndBenchmarkHeaders) {
  EXPECT_EQ(Map({"Name", "Contact Number", "Email", "City", "Language"}).fields,
            (Fields{{LeadField::kName, 0},
                    {LeadField::kPhone, 1},
                    {LeadField::kEmail, 2},
                    {LeadField::kCity, 3},
                    {LeadField::kLanguage, 4}}));
  EXPECT_EQ(Map({"Customer Name", "Mobile No.", "E-mail ID", "City", "Language", "Tags"}).fields,
            (Fields{{LeadField::kName, 0},
                    {LeadField::kPhone, 1},
                    {LeadField::kEmail, 2},
                    {LeadField::kCity, 3},
                    {LeadField::kLanguage, 4},
                    {LeadField::kTags, 5}}));
}

TEST(ColumnMapping, MapsHindiHeaders) {
  // "फ़ोन" is written with a nukta here and "फोन" without in the synonym list; both match.
  ColumnMapping mapping =
      Map({"नाम", "मोबाइल नंबर", "ईमेल", "शहर", "राज्य", "भाषा", "टैग", "टिप्पणी", "फ़ोन", "स्रोत"});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kName, 0},
                                    {LeadField::kPhone, 1},
                                    {LeadField::kEmail, 2},
                                    {LeadField::kCity, 3},
                                    {LeadField::kState, 4},
                                    {LeadField::kLanguage, 5},
                                    {LeadField::kTags, 6},
                                    {LeadField::kNotes, 7},
                                    {LeadField::kAltPhone, 8},
                                    {LeadField::kSource, 9}}));
  EXPECT_TRUE(mapping.custom.empty());

  EXPECT_EQ(Map({"फोन", "मोबाइल"}).fields,
            (Fields{{LeadField::kPhone, 0}, {LeadField::kAltPhone, 1}}));
  EXPECT_EQ(Map({"ग्राहक का नाम", "मो. नं.", "ई-मेल"}).fields,
            (Fields{{LeadField::kName, 0}, {LeadField::kPhone, 1}, {LeadField::kEmail, 2}}));
}

TEST(ColumnMapping, MapsMixedAndDescriptiveHeaders) {
  ColumnMapping mapping = Map({" No. ", "ग्राहक का नाम", "Customer Mobile (WhatsApp)", "Phone Type",
                               "GST Number", "EMAIL ADDRESS", "Lead Owner Email", "Company Name",
                               "Customer City", "Mobile No 2", "Preferred Language"});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kName, 1},
                                    {LeadField::kPhone, 2},
                                    {LeadField::kEmail, 5},
                                    {LeadField::kOwner, 6},
                                    {LeadField::kCity, 8},
                                    {LeadField::kAltPhone, 9},
                                    {LeadField::kLanguage, 10}}));
  EXPECT_EQ(mapping.custom,
            (Custom{{0, "No."}, {3, "Phone Type"}, {4, "GST Number"}, {7, "Company Name"}}));
  EXPECT_TRUE(AnyNoteContains(
      mapping,
      "phone: 'Customer Mobile (WhatsApp)' (column 3), its header mentions a phone number"));
}

TEST(ColumnMapping, ExtraLookAlikeColumnsAreKeptAsCustomWithANote) {
  ColumnMapping mapping = Map({"Mobile", "Phone", "Contact", "Email", "E-mail", "", "Email"});
  EXPECT_EQ(mapping.fields,
            (Fields{{LeadField::kPhone, 0}, {LeadField::kAltPhone, 1}, {LeadField::kEmail, 3}}));
  EXPECT_EQ(mapping.custom, (Custom{{2, "Contact"}, {4, "E-mail"}, {5, "Column 6"}, {6, "Email"}}));
  EXPECT_TRUE(AnyNoteContains(
      mapping, "'E-mail' (column 5) also looks like email, which is taken by 'Email' (column 4)"));
}

TEST(ColumnMapping, UniqueNamesForDuplicateCustomHeaders) {
  ColumnMapping mapping = Map({"Phone", "Budget", "Budget"});
  EXPECT_EQ(mapping.custom, (Custom{{1, "Budget"}, {2, "Budget (column 3)"}}));
}

TEST(ColumnMapping, ExplicitMapsByNameAndByNumberWin) {
  ColumnMapping mapping =
      Map({"Phone", "Mobile", "Naam", "Mail"}, {"phone=Mobile", "email=#4", "name=naam"});
  // Phone gave way to Mobile and, free again, became the alternate number.
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kPhone, 1},
                                    {LeadField::kEmail, 3},
                                    {LeadField::kName, 2},
                                    {LeadField::kAltPhone, 0}}));
  EXPECT_TRUE(AnyNoteContains(mapping, "phone: 'Mobile' (column 2), from --map phone=Mobile"));
  EXPECT_TRUE(AnyNoteContains(mapping, "email: 'Mail' (column 4), from --map email=#4"));
}

TEST(ColumnMapping, ExplicitEmptyMapLeavesAFieldUnmapped) {
  ColumnMapping mapping = Map({"Phone", "Email", "City"}, {"email="});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kPhone, 0}, {LeadField::kCity, 2}}));
  EXPECT_EQ(mapping.custom, (Custom{{1, "Email"}}));
}

TEST(ColumnMapping, ExplicitMapForHeaderlessFile) {
  ColumnMapping mapping = Map({"Anil", "9812345670"}, {"phone=#2", "name=#1"});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kPhone, 1}, {LeadField::kName, 0}}));
}

TEST(ColumnMapping, UnknownFieldIsAnErrorListingTheFields) {
  auto mapping = MapColumns({"Phone"}, {"fone=Phone"});
  ASSERT_FALSE(mapping.ok());
  EXPECT_EQ(mapping.error().detail_code, "unknown_field");
  EXPECT_EQ(mapping.error().message,
            "unknown field 'fone' in --map 'fone=Phone'; the fields are name, phone, alt_phone, "
            "email, language, city, state, time_zone, tags, source, owner, notes");
}

TEST(ColumnMapping, MissingColumnIsAnErrorListingTheHeaders) {
  auto by_name = MapColumns({"Name", "Mobile No."}, {"phone=Mobil"});
  ASSERT_FALSE(by_name.ok());
  EXPECT_EQ(by_name.error().detail_code, "unknown_column");
  EXPECT_EQ(
      by_name.error().message,
      "no column 'Mobil' for --map 'phone=Mobil'; the columns are #1 'Name', #2 'Mobile No.'");

  auto by_number = MapColumns({"Name", "Mobile No."}, {"phone=#3"});
  ASSERT_FALSE(by_number.ok());
  EXPECT_EQ(by_number.error().detail_code, "unknown_column");
}

TEST(ColumnMapping, MalformedAndConflictingMapsAreErrors) {
  auto no_equals = MapColumns({"Phone"}, {"phone"});
  ASSERT_FALSE(no_equals.ok());
  EXPECT_EQ(no_equals.error().detail_code, "bad_column_map");

  auto twice = MapColumns({"Phone", "Mobile"}, {"phone=#1", "phone=#2"});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().detail_code, "bad_column_map");
  EXPECT_NE(twice.error().message.find("names phone twice"), std::string::npos);

  auto same_column = MapColumns({"Phone", "Mobile"}, {"phone=#1", "alt_phone=Phone"});
  ASSERT_FALSE(same_column.ok());
  EXPECT_EQ(same_column.error().message,
            "column 'Phone' (column 1) is mapped twice (phone and alt_phone)");
}

TEST(ColumnMapping, RefusesWhenNoPhoneColumnIsFound) {
  auto mapping = MapColumns({"Name", "Email", "GST Number"}, {});
  ASSERT_FALSE(mapping.ok());
  EXPECT_EQ(mapping.error().detail_code, "no_phone_column");
  EXPECT_EQ(mapping.error().message,
            "no phone column found: the columns are #1 'Name', #2 'Email', #3 'GST Number'. Name "
            "the column with --map phone=<header> or --map phone=#<n> (1 for the first column)");

  auto headerless = MapColumns({"Anil Kapoor", "9812345670"}, {});
  ASSERT_FALSE(headerless.ok());
  EXPECT_NE(headerless.error().message.find("looks like data"), std::string::npos);

  auto unmapped = MapColumns({"Name", "Phone"}, {"phone="});
  ASSERT_FALSE(unmapped.ok());
  EXPECT_EQ(unmapped.error().detail_code, "no_phone_column");
}

TEST(ColumnMapping, TheOnlyPhoneColumnIsThePhoneEvenIfCalledAlternate) {
  ColumnMapping mapping = Map({"Name", "Alternate Number"});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kName, 0}, {LeadField::kPhone, 1}}));
}

TEST(ColumnMapping, FirstNameColumnIsUsedWithANote) {
  ColumnMapping mapping = Map({"First Name", "Last Name", "Phone"});
  EXPECT_EQ(mapping.fields, (Fields{{LeadField::kName, 0}, {LeadField::kPhone, 2}}));
  EXPECT_EQ(mapping.custom, (Custom{{1, "Last Name"}}));
  EXPECT_TRUE(AnyNoteContains(mapping, "only the first-name column"));
}

TEST(ColumnMapping, FieldNamesRoundTrip) {
  for (LeadField field : kAllLeadFields) {
    EXPECT_EQ(ParseLeadField(LeadFieldName(field)), field);
  }
  EXPECT_EQ(ParseLeadField("Alt-Phone"), LeadField::kAltPhone);
  EXPECT_EQ(ParseLeadField("TIME ZONE"), LeadField::kTimeZone);
  EXPECT_EQ(ParseLeadField("mobile"), std::nullopt);
}

TEST(ColumnMapping, NormalizesHeaders) {
  EXPECT_EQ(NormalizeHeader("E-mail ID"), "emailid");
  EXPECT_EQ(NormalizeHeader("  Mobile No. "), "mobileno");
  EXPECT_EQ(NormalizeHeader("\xEF\xBB\xBFName"), "name");  // a stray byte-order mark
  EXPECT_EQ(NormalizeHeader("ＰＨＯＮＥ"), "phone");       // full-width letters
  EXPECT_EQ(NormalizeHeader("फ़ोन"), NormalizeHeader("फोन"));
  EXPECT_EQ(NormalizeHeader("मोबाइल नंबर"), "मोबाइलनंबर");
}

}  // namespace
}  // namespace vaarta::leads::import
