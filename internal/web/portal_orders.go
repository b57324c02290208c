package web

func (s *Server) portalOrderRoutes() []boRoute { return nil }
