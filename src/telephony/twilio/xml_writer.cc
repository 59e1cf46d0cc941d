#include "telephony/twilio/xml_writer.h"

#include <cassert>
#include <cstdint>

namespace vaarta::telephony::twilio {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence starting at text[i] and its code point, or 0
// when the bytes there are not UTF-8 (overlong forms, surrogates and values past U+10FFFF
// included, per RFC 3629).
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  size_t length = 0;
  uint32_t value = 0;
  uint32_t min_value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    min_value = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *code_point = value;
  return length;
}

// XML 1.0 production [2] Char.
bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Escapes the five predefined entities and carriage return; `in_attribute` also protects
// tab and newline, which attribute-value normalisation would turn into spaces.
std::string Escape(std::string_view raw, bool in_attribute) {
  const std::string text = SanitizeXmlChars(raw);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += in_attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += in_attribute ? "&#10;" : "\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string SanitizeXmlChars(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(text, i, &code_point);
    if (length == 0) {
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    if (IsXmlChar(code_point)) out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string EscapeXmlText(std::string_view text) { return Escape(text, /*in_attribute=*/false); }

std::string EscapeXmlAttribute(std::string_view value) {
  return Escape(value, /*in_attribute=*/true);
}

bool IsXmlName(std::string_view name) {
  if (name.empty()) return false;
  const auto is_start = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
  };
  if (!is_start(name.front())) return false;
  for (char c : name) {
    if (!is_start(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  }
  return true;
}

XmlWriter::XmlWriter() : out_(R"(<?xml version="1.0" encoding="UTF-8"?>)") {}

XmlWriter& XmlWriter::Open(std::string_view name) {
  assert(IsXmlName(name));
  EndStartTag();
  out_ += '<';
  out_ += name;
  open_.emplace_back(name);
  start_tag_open_ = true;
  return *this;
}

XmlWriter& XmlWriter::Attribute(std::string_view name, std::string_view value) {
  assert(start_tag_open_ && IsXmlName(name));
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += EscapeXmlAttribute(value);
  out_ += '"';
  return *this;
}

XmlWriter& XmlWriter::IntAttribute(std::string_view name, int value) {
  return Attribute(name, std::to_string(value));
}

XmlWriter& XmlWriter::BoolAttribute(std::string_view name, bool value) {
  return Attribute(name, value ? std::string_view("true") : std::string_view("false"));
}

XmlWriter& XmlWriter::Text(std::string_view text) {
  assert(!open_.empty());
  EndStartTag();
  out_ += EscapeXmlText(text);
  return *this;
}

XmlWriter& XmlWriter::Close() {
  assert(!open_.empty());
  if (start_tag_open_) {
    out_ += "/>";
    start_tag_open_ = false;
  } else {
    out_ += "</";
    out_ += open_.back();
    out_ += '>';
  }
  open_.pop_back();
  return *this;
}

std::string XmlWriter::Finish() && {
  while (!open_.empty()) Close();
  return std::move(out_);
}

void XmlWriter::EndStartTag() {
  if (!start_tag_open_) return;
  out_ += '>';
  start_tag_open_ = false;
}

}  // namespace vaarta::telephony::twilio
