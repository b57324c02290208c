package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// buildMessage renders an RFC 5322 message with CRLF line endings. Bodies
// are quoted-printable: any UTF-8 text survives 7-bit relays, and lines stay
// under the 998-octet limit.
func buildMessage(from, to *mail.Address, subject, text, html string, date time.Time, messageID string) ([]byte, error) {
	var b bytes.Buffer
	writeHeader(&b, "From", from.String())
	writeHeader(&b, "To", to.String())
	writeHeader(&b, "Subject", encodeHeaderText(subject))
	writeHeader(&b, "Date", date.UTC().Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", messageID)
	writeHeader(&b, "MIME-Version", "1.0")
	// RFC 3834: tells vacation responders not to answer a robot.
	writeHeader(&b, "Auto-Submitted", "auto-generated")

	if html == "" {
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQuotedPrintable(&b, text); err != nil {
			return nil, fmt.Errorf("build message: %w", err)
		}
		if !strings.HasSuffix(text, "\n") {
			// SMTP ends the data with a line break; a soft line break keeps
			// it out of the decoded text, which then ends as it was given.
			b.WriteString("=\r\n")
		}
		return b.Bytes(), nil
	}

	mw := multipart.NewWriter(&b)
	writeHeader(&b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	// Plain text first: in multipart/alternative the last part is preferred.
	for _, part := range []struct{ contentType, body string }{
		{"text/plain; charset=utf-8", text},
		{"text/html; charset=utf-8", html},
	} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.contentType},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("build message: %w", err)
		}
		if err := writeQuotedPrintable(pw, part.body); err != nil {
			return nil, fmt.Errorf("build message: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("build message: %w", err)
	}
	return b.Bytes(), nil
}

func writeQuotedPrintable(w io.Writer, s string) error {
	qp := quotedprintable.NewWriter(w) // turns \n and \r\n alike into CRLF
	if _, err := io.WriteString(qp, s); err != nil {
		return err
	}
	return qp.Close()
}

// headerBreaks turns line breaks into spaces: a CR or LF in a header value
// would let a subject or a name add headers of its own (a Bcc, say).
var headerBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// writeHeader writes one header field, folded at spaces to keep lines near
// 78 characters (encoded Arabic subjects run long). The only CRLFs in the
// output are the ones it puts there.
func writeHeader(b *bytes.Buffer, name, value string) {
	const foldAt = 76
	words := strings.Split(headerBreaks.Replace(value), " ")
	b.WriteString(name)
	b.WriteString(":")
	lineLen := len(name) + 1
	for _, w := range words {
		if w != "" && lineLen+1+len(w) > foldAt {
			// Unfolding removes the CRLF and keeps the space. Even the first
			// word may go to the next line: RFC 2047 wants lines holding
			// encoded-words under 77 characters, and Go's are up to 75.
			b.WriteString("\r\n")
			lineLen = 0
		}
		b.WriteByte(' ')
		b.WriteString(w)
		lineLen += 1 + len(w)
	}
	b.WriteString("\r\n")
}

// encodeHeaderText makes free text safe for a header: ASCII as is, anything
// else as RFC 2047 encoded-words, B-encoded when mostly non-ASCII (Arabic,
// Tifinagh: a third shorter than Q) and Q-encoded otherwise (French stays
// readable).
func encodeHeaderText(s string) string {
	s = headerBreaks.Replace(s)
	nonASCII := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			nonASCII++
		}
	}
	if nonASCII*3 > len(s) {
		return mime.BEncoding.Encode("utf-8", s)
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// messageID names a message the same way on every attempt, so that a copy
// sent twice (a timeout after the server had accepted it) is recognisably
// one message.
func messageID(id int64, key string, from *mail.Address) string {
	domain := "localhost"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 && at < len(from.Address)-1 {
		domain = from.Address[at+1:]
	}
	sum := sha256.Sum256([]byte(key))
	return fmt.Sprintf("<outbox.%d.%s@%s>", id, hex.EncodeToString(sum[:8]), domain)
}

// readMessage gets back the decoded subject and plain text of a message
// built by buildMessage, for LogSender.
func readMessage(raw []byte) (subject, text string, err error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", "", fmt.Errorf("read message: %w", err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return "", "", fmt.Errorf("read subject: %w", err)
	}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return "", "", fmt.Errorf("read content type: %w", err)
	}
	var body io.Reader
	switch {
	case mediaType == "text/plain":
		body = m.Body
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(m.Body)
		}
	case strings.HasPrefix(mediaType, "multipart/"):
		mr := multipart.NewReader(m.Body, params["boundary"])
		for {
			p, err := mr.NextPart() // decodes quoted-printable itself
			if err != nil {
				return "", "", fmt.Errorf("read text part: %w", err)
			}
			if t, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); t == "text/plain" {
				body = p
				break
			}
		}
	default:
		return "", "", errors.New("read message: no text/plain body")
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return "", "", fmt.Errorf("read body: %w", err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}
