package photo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to name unless a file is there already — names are
// content hashes, so one there holds these very bytes. It writes a
// temporary file in the same folder and renames it, so that /media/ never
// serves half a photo, whatever happens meanwhile.
func WriteFile(name string, data []byte) error {
	if _, err := os.Stat(name); err == nil {
		return nil
	}
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("photo: %w", err)
	}
	_, werr := tmp.Write(data)
	// Synced before the rename: after a power cut the name holds the whole
	// photo or nothing, never an empty file that would be kept as is.
	err = errors.Join(werr, tmp.Chmod(0o640), tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("photo: %w", err)
	}
	return nil
}
