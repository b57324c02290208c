package app

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The demo's product photos are drawn into the media folder and served
// with srcset renditions; the media route serves files only.
func TestDemoPhotosAreServed(t *testing.T) {
	t.Parallel() // its own folder and port; the demo load takes most of a minute
	if testing.Short() {
		t.Skip("loads the demo marketplace")
	}
	ctx := context.Background()
	a, err := Start(ctx, testConfig(t.TempDir()), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(ctx)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	_, home := get("/fr/c/food")
	srcset := regexp.MustCompile(`srcset="([^"]+)"`).FindStringSubmatch(home)
	if srcset == nil {
		t.Fatal("no product photo with srcset on a category page")
	}
	sizes := strings.Split(srcset[1], ", ")
	if len(sizes) != 3 || !strings.HasSuffix(sizes[0], " 320w") || !strings.HasSuffix(sizes[2], " 960w") {
		t.Fatalf("srcset %q: want 320w, 640w and 960w", srcset[1])
	}
	for _, s := range sizes {
		url := strings.Fields(s)[0]
		resp, body := get(url)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d %s %q", url, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
		}
	}
	for _, path := range []string{"/media/", "/media/demo", "/media/demo/", "/media/../souk.db", "/media/%2e%2e/souk.db", "/media/demo/nothing.png"} {
		if resp, _ := get(path); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}
