#include "telephony/twilio/twilio_signature.h"

#include <gtest/gtest.h>

namespace vaarta::telephony::twilio {
namespace {

constexpr char kToken[] = "12345";
constexpr char kUrl[] = "https://mycompany.com/myapp.php?foo=1&bar=2";
// Twilio's worked example ("Webhooks security"): these parameters at kUrl, signed with
// auth token 12345.
constexpr char kDocumentedSignature[] = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

FormParams DocumentedParams() {
  return {{"CallSid", "CA1234567890ABCDE"},
          {"Caller", "+12349013030"},
          {"Digits", "1234"},
          {"From", "+12349013030"},
          {"To", "+18005551212"}};
}

TEST(TwilioSignature, MatchesTwiliosDocumentedExample) {
  EXPECT_EQ(ComputeSignature(kToken, kUrl, DocumentedParams()), kDocumentedSignature);
  EXPECT_TRUE(ValidateSignature(kToken, kDocumentedSignature, kUrl, DocumentedParams()));
}

TEST(TwilioSignature, SortsParametersByName) {
  FormParams shuffled = {{"To", "+18005551212"},
                         {"Digits", "1234"},
                         {"CallSid", "CA1234567890ABCDE"},
                         {"From", "+12349013030"},
                         {"Caller", "+12349013030"}};
  EXPECT_EQ(ComputeSignature(kToken, kUrl, shuffled), kDocumentedSignature);
}

TEST(TwilioSignature, RejectsAnyChange) {
  FormParams changed = DocumentedParams();
  changed[2].second = "9999";
  EXPECT_FALSE(ValidateSignature(kToken, kDocumentedSignature, kUrl, changed));
  FormParams added = DocumentedParams();
  added.emplace_back("SpeechResult", "");
  EXPECT_FALSE(ValidateSignature(kToken, kDocumentedSignature, kUrl, added));
  FormParams dropped = DocumentedParams();
  dropped.pop_back();
  EXPECT_FALSE(ValidateSignature(kToken, kDocumentedSignature, kUrl, dropped));
  EXPECT_FALSE(ValidateSignature("54321", kDocumentedSignature, kUrl, DocumentedParams()));
  EXPECT_FALSE(ValidateSignature(kToken, kDocumentedSignature,
                                 "https://mycompany.com/myapp.php?foo=1&bar=3",
                                 DocumentedParams()));
  EXPECT_FALSE(ValidateSignature(kToken, kDocumentedSignature,
                                 "http://mycompany.com/myapp.php?foo=1&bar=2", DocumentedParams()));
  EXPECT_FALSE(ValidateSignature(kToken, "", kUrl, DocumentedParams()));
  EXPECT_FALSE(ValidateSignature(kToken, "0/KCTR6DLpKmkAf8muzZqo1nDgQ", kUrl, DocumentedParams()));
}

TEST(TwilioSignature, AcceptsTheUrlWithOrWithoutTheDefaultPort) {
  const std::string with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
  EXPECT_TRUE(ValidateSignature(kToken, kDocumentedSignature, with_port, DocumentedParams()));
  const std::string signed_with_port = ComputeSignature(kToken, with_port, DocumentedParams());
  EXPECT_NE(signed_with_port, kDocumentedSignature);
  EXPECT_TRUE(ValidateSignature(kToken, signed_with_port, kUrl, DocumentedParams()));
  EXPECT_TRUE(ValidateSignature(kToken, ComputeSignature(kToken, "http://a.example:80/x", {}),
                                "http://a.example/x", {}));
  // The default port of http is not https's.
  EXPECT_FALSE(ValidateSignature(kToken, ComputeSignature(kToken, "http://a.example:443/x", {}),
                                 "http://a.example/x", {}));
}

TEST(TwilioSignature, FindsThePortAfterUserInfoAndIpv6Literals) {
  const std::string sig = ComputeSignature(kToken, "https://[::1]/hook", {});
  EXPECT_TRUE(ValidateSignature(kToken, sig, "https://[::1]:443/hook", {}));
  const std::string with_user = ComputeSignature(kToken, "https://user:pw@host.example/hook", {});
  EXPECT_TRUE(ValidateSignature(kToken, with_user, "https://user:pw@host.example:443/hook", {}));
}

TEST(TwilioSignature, SignsEachDistinctValueOfARepeatedNameOnceInOrder) {
  // A duplicate name=value pair is signed once; values of one name are signed sorted.
  const std::string expected = ComputeSignature(kToken, "https://h.example/", {{"a", "x"}});
  EXPECT_EQ(ComputeSignature(kToken, "https://h.example/", {{"a", "x"}, {"a", "x"}}), expected);
  EXPECT_EQ(ComputeSignature(kToken, "https://h.example/", {{"b", "2"}, {"a", "0"}, {"b", "1"}}),
            ComputeSignature(kToken, "https://h.example/", {{"a", "0"}, {"b", "1"}, {"b", "2"}}));
  // Concatenation: name "ab" value "c" is not name "a" value "bc", but signs the same bytes,
  // which is how Twilio defines it.
  EXPECT_EQ(ComputeSignature(kToken, "u", {{"ab", "c"}}),
            ComputeSignature(kToken, "u", {{"a", "bc"}}));
}

TEST(TwilioSignature, SortsLikeUtf16NotLikeUtf8) {
  // U+FF01 (one UTF-16 unit, 0xFF01) sorts after U+1F600 (surrogates 0xD83D 0xDE00) in
  // Twilio's libraries, though its UTF-8 bytes sort first. The signed text is
  // url + "😀" + "1" + "！" + "2" in that order.
  const FormParams params = {{"\xEF\xBC\x81", "2"}, {"\xF0\x9F\x98\x80", "1"}};
  const FormParams utf16_order = {{"\xF0\x9F\x98\x80", "1"}, {"\xEF\xBC\x81", "2"}};
  // Same names in the other order as one combined name: if the signature used byte order it
  // would equal the second one.
  EXPECT_EQ(ComputeSignature(kToken, "u", params), ComputeSignature(kToken,
                                                                    "u\xF0\x9F\x98\x80"
                                                                    "1\xEF\xBC\x81"
                                                                    "2",
                                                                    {}));
  EXPECT_NE(ComputeSignature(kToken, "u", params), ComputeSignature(kToken,
                                                                    "u\xEF\xBC\x81"
                                                                    "2\xF0\x9F\x98\x80"
                                                                    "1",
                                                                    {}));
  EXPECT_EQ(ComputeSignature(kToken, "u", params), ComputeSignature(kToken, "u", utf16_order));
}

TEST(TwilioSignature, SignsEmptyValuesAndUnicode) {
  const FormParams params = {{"SpeechResult", "हाँ, कल भुगतान करूँगा"}, {"Digits", ""}};
  const std::string sig = ComputeSignature(kToken, "https://v.example/gather?turn=1", params);
  EXPECT_TRUE(ValidateSignature(kToken, sig, "https://v.example/gather?turn=1", params));
  EXPECT_FALSE(ValidateSignature(kToken, sig, "https://v.example/gather?turn=1",
                                 {{"SpeechResult", "हाँ, कल भुगतान करूँगा"}}));
}

TEST(TwilioSignature, HashesBodiesAsLowerCaseHexSha256) {
  EXPECT_EQ(BodySha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(BodySha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TwilioSignature, ValidatesJsonBodiesThroughBodySha256) {
  // Body and bodySHA256 from Twilio's JSON-body validation sample.
  const std::string body = R"({"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"})";
  const std::string url =
      "https://example.com/myapp"
      "?bodySHA256=5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9";
  ASSERT_EQ(url, "https://example.com/myapp?bodySHA256=" + BodySha256Hex(body));
  const std::string sig = ComputeSignature(kToken, url, {});
  EXPECT_TRUE(ValidateSignatureWithBody(kToken, sig, url, body));
  EXPECT_TRUE(ValidateSignatureWithBody(
      kToken, sig, "https://example.com:443/myapp?bodySHA256=" + BodySha256Hex(body), body));
  EXPECT_FALSE(ValidateSignatureWithBody(kToken, sig, url, body + " "));
  EXPECT_FALSE(ValidateSignatureWithBody("other", sig, url, body));

  // A URL re-signed for another body's hash: the signature holds, the body does not.
  const std::string other_url = "https://example.com/myapp?bodySHA256=" + BodySha256Hex("{}");
  EXPECT_FALSE(
      ValidateSignatureWithBody(kToken, ComputeSignature(kToken, other_url, {}), other_url, body));
  // No bodySHA256 at all.
  const std::string bare = "https://example.com/myapp";
  EXPECT_FALSE(ValidateSignatureWithBody(kToken, ComputeSignature(kToken, bare, {}), bare, ""));
}

TEST(TwilioSignature, ReadsTheFirstBodySha256AndIgnoresTheFragment) {
  const std::string body = "{}";
  const std::string hash = BodySha256Hex(body);
  const std::string url = "https://e.example/x?a=1&bodySHA256=" + hash + "&bodySHA256=00#frag";
  EXPECT_TRUE(ValidateSignatureWithBody(kToken, ComputeSignature(kToken, url, {}), url, body));
  const std::string second = "https://e.example/x?bodySHA256=00&bodySHA256=" + hash;
  EXPECT_FALSE(
      ValidateSignatureWithBody(kToken, ComputeSignature(kToken, second, {}), second, body));
}

}  // namespace
}  // namespace vaarta::telephony::twilio
