package web

func (s *Server) portalProductRoutes() []boRoute { return nil }
