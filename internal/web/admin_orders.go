package web

func (s *Server) adminOrderRoutes() []boRoute { return nil }
