package docgen

import (
	"regexp"
	"strings"
)

// htmlEscaper keeps user text from injecting HTML into the rendered page
// while still showing characters such as the angle brackets of Vec<u8>.
// Escaping & also keeps entities such as &#58; from spelling a URL scheme.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// text prepares user text for a paragraph by escaping HTML and unsafe
// links. Line breaks stay, so documentation lines read as one paragraph.
func text(s string) string {
	return safeLinks(htmlEscaper.Replace(s))
}

// cell prepares user text for a table cell: pipes are escaped and line
// breaks become <br>, because a raw newline ends the table row.
func cell(s string) string {
	s = safeLinks(htmlEscaper.Replace(s))
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\r\n", "<br>")
	s = strings.ReplaceAll(s, "\n", "<br>")
	return strings.ReplaceAll(s, "\r", "<br>")
}

// code wraps s in a code span, using a backtick fence longer than any run
// of backticks inside it. Pipes are escaped so the span is safe in a
// table, and line breaks become spaces, since a code span cannot hold one.
func code(s string) string {
	if s == "" {
		return ""
	}

	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := strings.Repeat("`", longestBacktickRun(s)+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}

	return fence + s + fence
}

func longestBacktickRun(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if r != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}

	return longest
}

// table writes a Markdown table; cells must already be escaped.
func table(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, row := range rows {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	b.WriteString("\n")
}

// anchors hands out HTML ids that stay unique even when two items share a
// name: the second "initialize" instruction gets "instruction-initialize-2".
type anchors map[string]int

func (a anchors) id(section, name string) string {
	base := section + "-" + slug(name)
	a[base]++
	if a[base] == 1 {
		return base
	}

	return base + "-" + itoa(a[base])
}

// slug lower-cases a name and replaces every run of characters other than
// ASCII letters and digits with one hyphen.
func slug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}

	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "unnamed"
	}

	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}

	return "no"
}

func paragraphs(b *strings.Builder, lines []string) {
	if len(lines) == 0 {
		return
	}

	b.WriteString(text(strings.Join(lines, "\n")))
	b.WriteString("\n\n")
}

func docsCell(lines []string) string {
	return cell(strings.Join(lines, "\n"))
}

// Link destinations in IDL text: after "](" for inline links and images,
// up to the closing parenthesis, and after "]:" for link reference
// definitions, with the whitespace and line endings before them. A match
// may take in more than the destination, which only makes the check
// stricter.
var (
	inlineLink    = regexp.MustCompile(`\]\(([^)]*)`)
	referenceLink = regexp.MustCompile(`\]:([\x00-\x20]*[^\x00-\x20]*)`)
	urlScheme     = regexp.MustCompile(`^([a-z][a-z0-9+.-]*):`)
	// urlNoise is what Markdown and browsers drop from a URL before they
	// read its scheme: backslash escapes, and ASCII tabs and line endings
	// anywhere, as the WHATWG URL parser does.
	urlNoise = strings.NewReplacer(`\`, "", "\t", "", "\n", "", "\r", "")
)

// safeLinks breaks the Markdown link syntax of every link in s whose URL
// has a scheme other than http, https or mailto, such as javascript: or
// data:, by escaping the parenthesis or colon after its label. The text
// still reads the same, and relative and fragment links keep working.
func safeLinks(s string) string {
	s = replaceUnsafe(s, inlineLink, "](", `]\(`)
	return replaceUnsafe(s, referenceLink, "]:", `]\:`)
}

func replaceUnsafe(s string, link *regexp.Regexp, syntax, escaped string) string {
	return link.ReplaceAllStringFunc(s, func(match string) string {
		destination := link.FindStringSubmatch(match)[1]
		if safeURL(destination) {
			return match
		}
		return escaped + strings.TrimPrefix(match, syntax)
	})
}

// safeURL reports whether a link destination is relative or uses an
// allowed scheme. Leading spaces and control characters, an angle-bracket
// opener and urlNoise are removed first, because Markdown and browsers
// remove them before they read the scheme.
func safeURL(destination string) bool {
	url := strings.ToLower(urlNoise.Replace(destination))
	url = strings.TrimLeftFunc(url, func(r rune) bool { return r <= ' ' })
	url = strings.TrimPrefix(url, "&lt;")
	url = strings.TrimLeftFunc(url, func(r rune) bool { return r <= ' ' })

	scheme := urlScheme.FindStringSubmatch(url)
	if scheme == nil {
		return true
	}

	switch scheme[1] {
	case "http", "https", "mailto":
		return true
	default:
		return false
	}
}
