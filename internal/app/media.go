package app

import (
	"io/fs"
	"net/http"
	"os"
	"strings"
)

// mediaHandler serves the media folder (product pictures) under /media/.
// Names are content-addressed, so browsers may keep a file for a year.
// Folders are not listed and nothing outside the folder can be reached.
func mediaHandler(dir string) http.Handler {
	fsys := os.DirFS(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/media/")
		if st, err := fs.Stat(fsys, name); !fs.ValidPath(name) || err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeFileFS(w, r, fsys, name)
	})
}
