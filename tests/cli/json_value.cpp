// SPDX-License-Identifier: Apache-2.0
#include "json_value.hpp"

#include <cstdlib>

namespace usbio::test {

namespace {

class Reader {
public:
    explicit Reader(std::string_view t) : t_(t) {}

    JsonValue document() {
        JsonValue v = value();
        blanks();
        if (i_ != t_.size()) fail("trailing text");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("not JSON at offset " + std::to_string(i_) + ": " + what);
    }
    void blanks() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) ++i_;
    }
    bool eat(char c) {
        blanks();
        if (i_ < t_.size() && t_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!eat(c)) fail(std::string("expected '") + c + "'");
    }
    bool word(std::string_view w) {
        if (t_.substr(i_, w.size()) != w) return false;
        i_ += w.size();
        return true;
    }

    JsonValue value() {
        blanks();
        if (i_ >= t_.size()) fail("unexpected end");
        JsonValue v;
        char c = t_[i_];
        if (c == '{') {
            v.kind = JsonValue::Kind::object;
            ++i_;
            if (eat('}')) return v;
            do {
                blanks();
                std::string key = string_literal();
                expect(':');
                v.object[key] = value();
            } while (eat(','));
            expect('}');
        } else if (c == '[') {
            v.kind = JsonValue::Kind::array;
            ++i_;
            if (eat(']')) return v;
            do v.array.push_back(value());
            while (eat(','));
            expect(']');
        } else if (c == '"') {
            v.kind = JsonValue::Kind::string;
            v.string = string_literal();
        } else if (word("true")) {
            v.kind = JsonValue::Kind::boolean;
            v.boolean = true;
        } else if (word("false")) {
            v.kind = JsonValue::Kind::boolean;
        } else if (word("null")) {
            v.kind = JsonValue::Kind::null;
        } else {
            v.kind = JsonValue::Kind::number;
            v.number = number();
        }
        return v;
    }

    double number() {
        std::size_t start = i_;
        if (i_ < t_.size() && t_[i_] == '-') ++i_;
        auto digits = [&] {
            std::size_t s = i_;
            while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
            return i_ - s;
        };
        std::size_t int_start = i_;
        if (digits() == 0) fail("bad value");
        if (t_[int_start] == '0' && i_ - int_start > 1) fail("leading zero");
        if (i_ < t_.size() && t_[i_] == '.') {
            ++i_;
            if (digits() == 0) fail("bad fraction");
        }
        if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
            ++i_;
            if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
            if (digits() == 0) fail("bad exponent");
        }
        return std::strtod(std::string(t_.substr(start, i_ - start)).c_str(), nullptr);
    }

    std::string string_literal() {
        if (i_ >= t_.size() || t_[i_] != '"') fail("expected string");
        ++i_;
        std::string s;
        while (true) {
            if (i_ >= t_.size()) fail("unterminated string");
            char c = t_[i_++];
            if (c == '"') return s;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
            if (c != '\\') {
                s += c;
                continue;
            }
            if (i_ >= t_.size()) fail("unterminated escape");
            char e = t_[i_++];
            switch (e) {
            case '"': s += '"'; break;
            case '\\': s += '\\'; break;
            case '/': s += '/'; break;
            case 'b': s += '\b'; break;
            case 'f': s += '\f'; break;
            case 'n': s += '\n'; break;
            case 'r': s += '\r'; break;
            case 't': s += '\t'; break;
            case 'u': {
                if (i_ + 4 > t_.size()) fail("short \\u escape");
                unsigned cp = 0;
                for (int k = 0; k < 4; ++k) {
                    char h = t_[i_++];
                    cp <<= 4;
                    if (h >= '0' && h <= '9')
                        cp |= static_cast<unsigned>(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        cp |= static_cast<unsigned>(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        cp |= static_cast<unsigned>(h - 'A' + 10);
                    else
                        fail("bad \\u escape");
                }
                if (cp >= 0x80) fail("only ASCII \\u escapes are expected here");
                s += static_cast<char>(cp);
                break;
            }
            default: fail("bad escape");
            }
        }
    }

    std::string_view t_;
    std::size_t i_ = 0;
};

}  // namespace

JsonValue parse_json(std::string_view text) { return Reader(text).document(); }

}  // namespace usbio::test
