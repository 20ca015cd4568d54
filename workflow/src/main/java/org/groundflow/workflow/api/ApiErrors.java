package org.groundflow.workflow.api;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.review.InvalidReviewException;
import org.groundflow.workflow.web.ApiError;
import org.groundflow.workflow.web.BodyTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps failures of the public API to JSON errors with a readable message. */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return answer(e.status(), e.getMessage());
    }

    @ExceptionHandler({InvalidReviewException.class, IllegalArgumentException.class})
    ResponseEntity<ApiError> invalid(RuntimeException e) {
        return answer(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** Not JSON, not the expected shape, or (read in chunks) larger than the body limit. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        return BodyTooLargeException.in(e)
                .map(tooLarge -> answer(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage()))
                .orElseGet(() -> answer(HttpStatus.BAD_REQUEST, "request body is not valid JSON of the expected shape"));
    }

    /** Two requests changed the same thing at once (e.g. both completed one task): the later one is refused. */
    @ExceptionHandler({OptimisticLockingException.class, ConcurrencyFailureException.class})
    ResponseEntity<ApiError> concurrent(RuntimeException e) {
        log.info("request lost to a concurrent one: {}", e.getMessage());
        return answer(HttpStatus.CONFLICT, "changed by another request at the same moment; reload and try again");
    }

    @ExceptionHandler(DicomWebException.class)
    ResponseEntity<ApiError> pacs(DicomWebException e) {
        log.warn("PACS call failed: {}", e.getMessage());
        return answer(HttpStatus.BAD_GATEWAY, "the PACS could not be asked: " + e.getMessage());
    }

    private static ResponseEntity<ApiError> answer(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(ApiError.of(status, message));
    }
}
