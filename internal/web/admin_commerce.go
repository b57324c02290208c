package web

func (s *Server) adminCommerceRoutes() []boRoute { return nil }
