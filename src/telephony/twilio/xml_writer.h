#pragma once
// XmlWriter: builds a small XML document element by element, escaping every text node and
// attribute value so that whatever a caller or callee typed (quotes, ampersands, angle
// brackets, stray control characters) cannot change the document's structure. TwiML is the
// user; the writer knows nothing of it.
#include <string>
#include <string_view>
#include <vector>

namespace vaarta::telephony::twilio {

// Text as XML 1.0 may carry it: valid UTF-8 passes through unchanged (Devanagari included);
// characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return,
// U+FFFE, U+FFFF, surrogates) are dropped; bytes that are not UTF-8 become U+FFFD.
std::string SanitizeXmlChars(std::string_view text);

// Escapes a text node: & < > " ' as entities, carriage return as &#13; so that it survives
// the parser's line-end normalisation.
std::string EscapeXmlText(std::string_view text);

// Escapes an attribute value for double quotes: as text, plus tab and newline as character
// references so that attribute-value normalisation keeps them.
std::string EscapeXmlAttribute(std::string_view value);

// True for the names this writer emits: ASCII letters, digits, '_', '-', '.', ':' and not
// starting with a digit, '-' or '.'.
bool IsXmlName(std::string_view name);

class XmlWriter {
 public:
  // Starts the document with the XML declaration (version 1.0, UTF-8).
  XmlWriter();

  // Opens an element. Names are the caller's constants; an invalid name is a bug (asserted).
  XmlWriter& Open(std::string_view name);
  // Adds an attribute to the element just opened (before any child or text).
  XmlWriter& Attribute(std::string_view name, std::string_view value);
  XmlWriter& IntAttribute(std::string_view name, int value);
  // "true" or "false", as Twilio's helper libraries write booleans.
  XmlWriter& BoolAttribute(std::string_view name, bool value);
  XmlWriter& Text(std::string_view text);
  // Closes the innermost open element; an element without content is written as <x/>.
  XmlWriter& Close();

  // Closes whatever is still open and returns the document.
  std::string Finish() &&;

 private:
  void EndStartTag();

  std::string out_;
  std::vector<std::string> open_;
  bool start_tag_open_ = false;
};

}  // namespace vaarta::telephony::twilio
