package vendor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"souk/internal/errs"
	"souk/internal/text"
)

// DocumentKind says what a document proves.
type DocumentKind string

// The kinds of document an application carries.
const (
	Registration  DocumentKind = "registration"  // the cooperative's or company's registration certificate
	Certification DocumentKind = "certification" // organic, IGP, fair trade…
	FoodSafety    DocumentKind = "food_safety"   // ONSSA authorisation, for food and cosmetics
	OtherDocument DocumentKind = "other"
)

// DocumentKinds lists every kind, for forms and validation.
var DocumentKinds = []DocumentKind{Registration, Certification, FoodSafety, OtherDocument}

// Limits on what an application may carry: photos from a phone are 2–6 MB.
const (
	MaxDocumentBytes = 10 << 20
	MaxDocuments     = 10
)

// documentTypes are the types accepted, by what the bytes are (not what the
// file name or the browser says): PDF and photos.
var documentTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true, "image/webp": true}

// Upload is a document as sent.
type Upload struct {
	Kind     DocumentKind
	Filename string
	Data     []byte
}

// Document is a stored document's record; its bytes are in the store.
type Document struct {
	ID          int64        `json:"id"`
	VendorID    int64        `json:"vendor_id"`
	Kind        DocumentKind `json:"kind"`
	Filename    string       `json:"filename"`
	ContentType string       `json:"content_type"`
	Size        int64        `json:"size"`
	SHA256      string       `json:"sha256"`
	CreatedAt   time.Time    `json:"created_at"`
}

// checkUploads names each bad document as documents[i] and fills in the
// type the bytes have.
func checkUploads(ups []Upload, f errs.Fields) []Document {
	if len(ups) > MaxDocuments {
		f.Add("documents", "field.documents_count")
		return nil
	}
	docs := make([]Document, len(ups))
	for i, u := range ups {
		field := fmt.Sprintf("documents[%d]", i)
		kindOK := false
		for _, k := range DocumentKinds {
			kindOK = kindOK || u.Kind == k
		}
		ct := http.DetectContentType(u.Data)
		switch {
		case !kindOK:
			f.Add(field+".kind", "field.enum")
		case len(u.Data) == 0:
			f.Add(field, "field.required")
		case len(u.Data) > MaxDocumentBytes:
			f.Add(field, "field.document_size")
		case !documentTypes[ct]:
			f.Add(field, "field.document_type")
		}
		sum := sha256.Sum256(u.Data)
		docs[i] = Document{Kind: u.Kind, Filename: cleanFilename(u.Filename), ContentType: ct, Size: int64(len(u.Data)), SHA256: hex.EncodeToString(sum[:])}
	}
	return docs
}

var unsafeFilename = regexp.MustCompile(`[^\p{L}\p{N}._ -]+`)

// cleanFilename keeps a file name readable for the operator and harmless in
// a Content-Disposition header.
func cleanFilename(name string) string {
	name = unsafeFilename.ReplaceAllString(filepath.Base(text.Clean(name)), "_")
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	if name == "" || name == "." || name == "_" {
		name = "document"
	}
	return name
}

// DocumentStore keeps documents' bytes, named by their SHA-256. Several
// souk nodes on one PostgreSQL database need a store they all reach.
type DocumentStore interface {
	Put(ctx context.Context, sha string, data []byte) error
	Get(ctx context.Context, sha string) ([]byte, error)
}

// DirStore keeps documents as files in a directory (souk's data directory
// by default): never under /media/, which is public.
type DirStore string

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (d DirStore) path(sha string) (string, error) {
	if !shaRE.MatchString(sha) {
		return "", fmt.Errorf("document %q: not a SHA-256", sha)
	}
	return filepath.Join(string(d), sha[:2], sha), nil
}

// Put writes data unless a file of that hash is there already (written to
// a temporary name first, so a crash leaves no half file under the name).
func (d DirStore) Put(_ context.Context, sha string, data []byte) error {
	p, err := d.path(sha)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Get reads a document's bytes.
func (d DirStore) Get(_ context.Context, sha string) ([]byte, error) {
	p, err := d.path(sha)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.NotFoundE("document")
	}
	return b, err
}
