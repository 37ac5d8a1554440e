package io.tessera.tokenizer;

import java.util.List;

/** Varied text for comparing tokenizers: every case a real prompt can contain. */
final class Corpus {
    private Corpus() {
    }

    static final List<String> TEXTS = List.of(
            "Hello, my dog is cute",
            "The quick brown fox jumps over the lazy dog.",
            "",
            " ",
            "a",
            "  leading spaces",
            "trailing spaces   ",
            "multiple     spaces    inside",
            "tab\tseparated\tvalues\t\t",
            "line one\nline two\n\nline four\n\n\n\nafter four newlines",
            "\r\nwindows line endings\r\n",
            "Numbers: 0 1 12 123 1234 12345 3.14159 -42 1e10 0x1F 1,000,000",
            "Dates 2024-03-15, times 12:34:56, phone +1 (555) 123-4567",
            "Punctuation!!! Really??? ... --- ((nested)) [brackets] {braces} <angles> «guillemets» “quotes”",
            "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
            "public static void main(String[] args) { System.out.println(\"hi\"); }",
            "<div class=\"x\"><span>html</span></div>\n<br/>",
            "SELECT * FROM users WHERE id = 42 AND name LIKE '%bob%';",
            "日本語のテキストです。東京は日本の首都です。",
            "中文文本：你好，世界！这是一个测试。",
            "한국어 텍스트입니다. 안녕하세요!",
            "Emoji: 😀 😃 👍🏽 👨‍👩‍👧‍👦 🇯🇵 ❤️ 🤗🤗🤗",
            "Combining marks: e\u0301 a\u0308 n\u0303 o\u0302\u0323 Z\u0351\u0352\u0353",
            "Precomposed vs decomposed: é vs e\u0301, Å vs A\u030A",
            "Arabic: مرحبا بالعالم، هذا اختبار.",
            "Hebrew: שלום עולם",
            "Devanagari: नमस्ते दुनिया",
            "Thai: สวัสดีชาวโลก",
            "Greek: Γειά σου Κόσμε, Cyrillic: Привет, мир",
            "Math: ∀x∈ℝ, ∃y: x² + y² = z² ∑ ∫ ∞ ≈ ≠ ≤ ≥",
            "Rare characters: \uD840\uDC00 \uD87E\uDC04 \uE000 \uF8FF \u2FFF \u0378",
            "Control characters: \u0000 \u0001 \u0007 \u001B[31mred\u001B[0m \u007F",
            "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n",
            "<bos>text after bos<eos>",
            "<start_of_image><image_soft_token><end_of_image>",
            "half special <start_of_turn and <end_of_turn> mixed <unused0> <unused99>",
            "<mask> [multimodal] <unk> <pad>",
            "Byte tokens as text: <0x41> <0xFF> <0x0A>",
            "\u2581already\u2581has\u2581metaspace",
            "URL https://example.com/path?query=1&b=2#frag and email a.b@c.org",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            "                                                                                      x",
            "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n",
            "Mixed: English, Français, Deutsch (Straße), Español (niño), Português (ação), Türkçe (ışık)",
            "CamelCaseIdentifiersAndsnake_case_names and kebab-case-words",
            "ALL CAPS SENTENCE WITH NUMBERS 123ABC456",
            "Zero\u200Bwidth\u200Cjoiner\u200Dand\uFEFFbom",
            "Full-width: ＡＢＣ１２３！",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
                    + "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.");
}
