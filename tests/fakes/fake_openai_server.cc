// fake_openai_server: a stand-in for an OpenAI-compatible chat completions endpoint, run
// as a separate process by the LLM tests so that the real client talks real HTTP.
// Listens on 127.0.0.1 at a port the system picks and prints that port as the first
// line of stdout. Answers POST /v1/chat/completions with the wire format of the OpenAI
// API (a chat.completion object, or an {"error": {...}} body), checking the Bearer key.
//
//   --key KEY        the API key it accepts (401 invalid_api_key otherwise)
//   --draft FILE     the script the "model" drafts
//   --mode MODE      draft      the draft as the assistant's message
//                    bad_draft  the draft damaged so that the checker fails it: the
//                               greeting's sentences about recording removed, a
//                               guaranteed-returns promise and false urgency added to the
//                               pitch, every opt_out route removed
//                    non_json   prose instead of JSON
//                    slow       sleeps --delay-ms, then answers as draft
//                    error500   HTTP 500 (server_error)
//                    error429   HTTP 429 (rate_limit_exceeded)
//                    garbage    HTTP 200 whose body is not JSON
//   --delay-ms N     for slow (default 5000)
//   --log FILE       appends each request's JSON body as one line
//
// A request with "stream": true is answered as OpenAI streams: server-sent events, one
// `data: {"object": "chat.completion.chunk", "choices": [{"delta": {"content": ...}}]}`
// per word of --answer FILE's text (or the draft), then `data: [DONE]`. Modes for it:
//   stream             --token-ms between chunks (default 5)
//   stream_slow_first  sleeps --delay-ms before the first chunk
//   stream_stall       sends the first word, then sleeps --delay-ms before the rest
//   stream_broken      sends half the words, then closes without [DONE]
//   stream_garbage     a data line that is not JSON
//   error500, error429 as above (no stream)
#include <utility>  // must precede Asio with Boost 1.74 and g++ 12

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct Options {
  std::string key;
  std::string draft_path;
  std::string mode = "draft";
  int delay_ms = 5000;
  int token_ms = 5;
  std::string answer_path;
  std::string log_path;
};

// What the connection threads share: the options and the request log.
struct Server {
  Options options;
  std::mutex log_mutex;
  int next_id = 0;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Response JsonResponse(http::status status, const nlohmann::json& body, const Request& request) {
  Response response(status, request.version());
  response.set(http::field::content_type, "application/json");
  response.set(http::field::server, "fake-openai");
  response.keep_alive(request.keep_alive());
  response.body() = body.dump();
  response.prepare_payload();
  return response;
}

nlohmann::json ErrorBody(const std::string& message, const std::string& type,
                         const nlohmann::json& code) {
  return {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

bool MentionsRecording(const std::string& sentence) {
  return sentence.find("record") != std::string::npos ||
         sentence.find("Record") != std::string::npos ||
         sentence.find("रिकॉर्ड") != std::string::npos;
}

// The line without its sentences about recording (sentences end at ". " or "। ").
std::string WithoutRecording(const std::string& line) {
  std::string out;
  size_t start = 0;
  while (start < line.size()) {
    size_t dot = line.find(". ", start);
    size_t danda = line.find("। ", start);
    size_t end = std::min(dot == std::string::npos ? line.size() : dot + 2,
                          danda == std::string::npos ? line.size() : danda + 4);
    std::string sentence = line.substr(start, end - start);
    if (!MentionsRecording(sentence)) out += sentence;
    start = end;
  }
  return out;
}

std::string DamagedDraft(const std::string& draft) {
  nlohmann::json script = nlohmann::json::parse(draft);
  if (script.contains("global_transitions")) script["global_transitions"].erase("opt_out");
  for (auto& step : script["steps"]) {
    if (step.contains("transitions")) step["transitions"].erase("opt_out");
    if (step["id"] == script["start"]) {
      for (auto& [language, line] : step["lines"].items()) {
        line = WithoutRecording(line.get<std::string>());
      }
    }
    if (step["kind"] == "pitch") {
      step["lines"]["en"] = step["lines"]["en"].get<std::string>() +
                            " You get guaranteed returns of 12% a year, and the offer ends today!";
      step["lines"]["hi"] =
          step["lines"]["hi"].get<std::string>() + " यह ऑफ़र सिर्फ आज के लिए है, जल्दी करें!";
    }
  }
  return script.dump();
}

Response Completion(Server& server, const nlohmann::json& body, const std::string& content,
                    const Request& request) {
  int id;
  {
    std::lock_guard<std::mutex> lock(server.log_mutex);
    id = ++server.next_id;
  }
  int64_t prompt_tokens = 0;
  for (const auto& message : body["messages"]) {
    if (message.contains("content") && message["content"].is_string()) {
      prompt_tokens += static_cast<int64_t>(message["content"].get<std::string>().size() / 4);
    }
  }
  int64_t completion_tokens = static_cast<int64_t>(content.size() / 4);
  nlohmann::json completion = {
      {"id", "chatcmpl-fake-" + std::to_string(id)},
      {"object", "chat.completion"},
      {"created", static_cast<int64_t>(std::time(nullptr))},
      {"model", body["model"]},
      {"system_fingerprint", "fp_fake"},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", content}, {"refusal", nullptr}}},
         {"logprobs", nullptr},
         {"finish_reason", "stop"}}}},
      {"usage",
       {{"prompt_tokens", prompt_tokens},
        {"completion_tokens", completion_tokens},
        {"total_tokens", prompt_tokens + completion_tokens}}}};
  return JsonResponse(http::status::ok, completion, request);
}

Response Handle(Server& server, const Request& request) {
  const Options& options = server.options;
  if (request.target() != "/v1/chat/completions") {
    return JsonResponse(http::status::not_found,
                        ErrorBody("Invalid URL (" + std::string(request.method_string()) + " " +
                                      std::string(request.target()) + ")",
                                  "invalid_request_error", nullptr),
                        request);
  }
  if (request.method() != http::verb::post) {
    return JsonResponse(http::status::method_not_allowed,
                        ErrorBody("Only POST is allowed here.", "invalid_request_error", nullptr),
                        request);
  }
  std::string authorization(request[http::field::authorization]);
  if (authorization != "Bearer " + options.key) {
    // The real service quotes (part of) the key it was given; quote all of it, so the
    // tests prove the client keeps it out of its messages.
    std::string given = authorization.rfind("Bearer ", 0) == 0 ? authorization.substr(7) : "";
    return JsonResponse(http::status::unauthorized,
                        ErrorBody("Incorrect API key provided: " + given +
                                      ". You can find your API key in your account settings.",
                                  "invalid_request_error", "invalid_api_key"),
                        request);
  }
  nlohmann::json body = nlohmann::json::parse(request.body(), nullptr, false);
  if (!body.is_object() || !body.contains("model") || !body["model"].is_string() ||
      !body.contains("messages") || !body["messages"].is_array() || body["messages"].empty()) {
    return JsonResponse(http::status::bad_request,
                        ErrorBody("The request needs a model and a non-empty messages list.",
                                  "invalid_request_error", nullptr),
                        request);
  }
  if (!options.log_path.empty()) {
    std::lock_guard<std::mutex> lock(server.log_mutex);
    std::ofstream(options.log_path, std::ios::app) << body.dump() << "\n";
  }
  const std::string& mode = options.mode;
  if (mode == "error500") {
    return JsonResponse(http::status::internal_server_error,
                        ErrorBody("The server had an error while processing your request.",
                                  "server_error", nullptr),
                        request);
  }
  if (mode == "error429") {
    Response response =
        JsonResponse(http::status::too_many_requests,
                     ErrorBody("Rate limit reached for requests. Please try again in 20s.",
                               "requests", "rate_limit_exceeded"),
                     request);
    response.set(http::field::retry_after, "20");
    return response;
  }
  if (mode == "garbage") {
    Response response(http::status::ok, request.version());
    response.set(http::field::content_type, "text/html");
    response.keep_alive(request.keep_alive());
    response.body() = "<html><body>It works!</body></html>";
    response.prepare_payload();
    return response;
  }
  if (mode == "non_json") {
    return Completion(server, body,
                      "Sure! Here is a friendly script for your campaign. Greeting: Hello, this "
                      "is your assistant...",
                      request);
  }
  if (mode == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(options.delay_ms));
  std::string draft = ReadFile(options.draft_path);
  return Completion(server, body, mode == "bad_draft" ? DamagedDraft(draft) : draft, request);
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) out.push_back(out.empty() ? word : " " + word);
  return out;
}

// Writes the stream straight to the socket: close-delimited, as a proxy may deliver it.
void Stream(Server& server, tcp::socket& socket, const nlohmann::json& body) {
  const Options& options = server.options;
  beast::error_code ec;
  auto send = [&socket, &ec](const std::string& bytes) {
    asio::write(socket, asio::buffer(bytes), ec);
    return !ec;
  };
  int id;
  {
    std::lock_guard<std::mutex> lock(server.log_mutex);
    id = ++server.next_id;
  }
  auto chunk = [&](const std::string& content) {
    nlohmann::json c = {
        {"id", "chatcmpl-fake-" + std::to_string(id)},
        {"object", "chat.completion.chunk"},
        {"created", static_cast<int64_t>(std::time(nullptr))},
        {"model", body.value("model", "")},
        {"choices",
         {{{"index", 0}, {"delta", {{"content", content}}}, {"finish_reason", nullptr}}}}};
    return "data: " + c.dump() + "\n\n";
  };
  if (!send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            "Server: fake-openai\r\nConnection: close\r\n\r\n")) {
    return;
  }
  std::string text =
      ReadFile(options.answer_path.empty() ? options.draft_path : options.answer_path);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::vector<std::string> words = Words(text);
  const std::string& mode = options.mode;
  auto sleep = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  if (mode == "stream_slow_first") sleep(options.delay_ms);
  if (mode == "stream_garbage") {
    send("data: {not json\n\n");
    send("data: [DONE]\n\n");
    return;
  }
  size_t limit = mode == "stream_broken" ? words.size() / 2 : words.size();
  for (size_t i = 0; i < limit; ++i) {
    if (!send(chunk(words[i]))) return;
    if (i == 0 && mode == "stream_stall") sleep(options.delay_ms);
    if (options.token_ms > 0) sleep(options.token_ms);
  }
  if (mode == "stream_broken") return;
  nlohmann::json last = {
      {"id", "chatcmpl-fake-" + std::to_string(id)},
      {"object", "chat.completion.chunk"},
      {"choices",
       {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "stop"}}}}};
  send("data: " + last.dump() + "\n\n");
  send("data: [DONE]\n\n");
}

bool WantsStream(Server& server, const Request& request) {
  const std::string& mode = server.options.mode;
  if (mode == "error500" || mode == "error429") return false;
  auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (!body.is_object() || !body.value("stream", false)) return false;
  std::string auth(request[http::field::authorization]);
  if (auth != "Bearer " + server.options.key) return false;  // Handle answers the 401
  if (!server.options.log_path.empty()) {
    std::lock_guard<std::mutex> lock(server.log_mutex);
    std::ofstream(server.options.log_path, std::ios::app) << body.dump() << "\n";
  }
  return true;
}

void Serve(Server& server, tcp::socket socket) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    http::read(socket, buffer, parser, ec);
    if (ec) break;
    Request request = parser.release();
    if (WantsStream(server, request)) {
      Stream(server, socket, nlohmann::json::parse(request.body()));
      break;
    }
    Response response = Handle(server, request);
    http::write(socket, response, ec);
    if (ec || !response.keep_alive()) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    std::string value = argv[++i];
    if (flag == "--key") {
      options->key = value;
    } else if (flag == "--draft") {
      options->draft_path = value;
    } else if (flag == "--mode") {
      options->mode = value;
    } else if (flag == "--delay-ms") {
      options->delay_ms = std::stoi(value);
    } else if (flag == "--token-ms") {
      options->token_ms = std::stoi(value);
    } else if (flag == "--answer") {
      options->answer_path = value;
    } else if (flag == "--log") {
      options->log_path = value;
    } else {
      return false;
    }
  }
  static const char* kModes[] = {"draft",        "bad_draft",     "non_json",
                                 "slow",         "error500",      "error429",
                                 "garbage",      "stream",        "stream_slow_first",
                                 "stream_stall", "stream_broken", "stream_garbage"};
  return std::find(std::begin(kModes), std::end(kModes), options->mode) != std::end(kModes);
}

}  // namespace

int main(int argc, char** argv) {
  Server server;
  if (!ParseArgs(argc, argv, &server.options)) {
    std::cerr << "usage: fake_openai_server --key KEY [--draft FILE] [--mode draft|bad_draft|"
                 "non_json|slow|error500|error429|garbage] [--delay-ms N] [--log FILE]\n";
    return 2;
  }
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::cout << acceptor.local_endpoint().port() << std::endl;
  while (true) {
    tcp::socket socket(io);
    beast::error_code ec;
    acceptor.accept(socket, ec);
    if (ec) continue;
    std::thread([&server, s = std::move(socket)]() mutable {
      Serve(server, std::move(s));
    }).detach();
  }
}
