package api

import (
	_ "embed"
	"net/http"
)

// openapiDoc is the API's OpenAPI 3.1 description; api tests validate real
// responses against it, so it cannot drift from the handlers unnoticed.
//
//go:embed openapi.json
var openapiDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openapiDoc)
	return err
}
