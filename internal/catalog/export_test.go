package catalog

// OnProductsLoaded runs fn in public listings after they read products
// missing from the product cache and before they store them: a test makes
// a change land in between.
func (s *Service) OnProductsLoaded(fn func()) { s.products.loaded = fn }
