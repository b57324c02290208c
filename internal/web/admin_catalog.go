package web

func (s *Server) adminCatalogRoutes() []boRoute { return nil }
