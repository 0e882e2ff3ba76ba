/**
 * Express building blocks shared by the HTTP services: RFC 9457 problem details, security
 * headers, health endpoints and a listener with graceful shutdown.
 */
export { ProblemError, problemType, type ProblemDetails, type FieldError } from './problem.js';
export { problemMiddleware, notFoundHandler, sendProblem } from './middleware.js';
export { securityHeaders, setSecurityHeaders } from './security.js';
export { healthRoutes, type ReadinessCheck } from './health.js';
export { listen, type RunningServer } from './listen.js';
