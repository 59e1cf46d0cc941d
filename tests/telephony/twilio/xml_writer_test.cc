#include "telephony/twilio/xml_writer.h"

#include <gtest/gtest.h>

namespace vaarta::telephony::twilio {
namespace {

TEST(XmlWriter, WritesNestedElementsAndSelfClosesEmptyOnes) {
  XmlWriter xml;
  xml.Open("a").Attribute("x", "1").Open("b").Close().Open("c").Text("t").Close();
  EXPECT_EQ(std::move(xml).Finish(),
            R"(<?xml version="1.0" encoding="UTF-8"?><a x="1"><b/><c>t</c></a>)");
}

TEST(XmlWriter, WritesNumbersAndBooleans) {
  XmlWriter xml;
  xml.Open("a").IntAttribute("n", -3).BoolAttribute("t", true).BoolAttribute("f", false);
  EXPECT_EQ(std::move(xml).Finish(),
            R"(<?xml version="1.0" encoding="UTF-8"?><a n="-3" t="true" f="false"/>)");
}

TEST(XmlWriter, SanitizesMalformedUtf8AndForbiddenCodePoints) {
  EXPECT_EQ(SanitizeXmlChars("ok नमस्ते 😀"), "ok नमस्ते 😀");
  EXPECT_EQ(SanitizeXmlChars("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong NUL
  EXPECT_EQ(SanitizeXmlChars("\xED\xA0\x80"),                           // a UTF-16 surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(SanitizeXmlChars("\xE0\xA4"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
  EXPECT_EQ(SanitizeXmlChars("a\x7F"
                             "b\xC2\x85"),
            "a\x7F"
            "b\xC2\x85");  // allowed by XML 1.0
  EXPECT_EQ(SanitizeXmlChars("\xEF\xBF\xBF\x1B[0m"), "[0m");
}

TEST(XmlWriter, KnowsXmlNames) {
  EXPECT_TRUE(IsXmlName("ttsProvider"));
  EXPECT_TRUE(IsXmlName("a-b.c_d:e9"));
  EXPECT_FALSE(IsXmlName(""));
  EXPECT_FALSE(IsXmlName("9a"));
  EXPECT_FALSE(IsXmlName("a b"));
  EXPECT_FALSE(IsXmlName("a\"b"));
  EXPECT_FALSE(IsXmlName("नाम"));
}

}  // namespace
}  // namespace vaarta::telephony::twilio
