package org.groundflow.workflow.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over a limit with 413 before anything parses them: a declared Content-Length over the
 * limit is refused at once; a body of unknown length (chunked) is counted as it is read, and reading past the limit
 * throws {@link BodyTooLargeException}, which the API answers with 413.
 */
public class RequestBodyLimit extends OncePerRequestFilter {

    private final long limit;

    public RequestBodyLimit(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("body limit must be at least 1 byte, got " + limit);
        }
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            ApiError.write(response, HttpStatus.PAYLOAD_TOO_LARGE, tooLarge(request, declared + " bytes"));
            return;
        }
        try {
            chain.doFilter(declared >= 0 ? request : new Counted(request), response);
        } catch (BodyTooLargeException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            ApiError.write(response, HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
        }
    }

    private String tooLarge(HttpServletRequest request, String size) {
        return "the body of " + request.getMethod() + " " + request.getRequestURI() + " has " + size
                + ", more than the limit of " + limit + " bytes (groundflow.api.max-body-size)";
    }

    /** A body of unknown length, counted as the application reads it. */
    private final class Counted extends HttpServletRequestWrapper {

        private ServletInputStream stream;

        Counted(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), (HttpServletRequest) getRequest());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final HttpServletRequest request;
        private long count;

        CountingStream(ServletInputStream in, HttpServletRequest request) {
            this.in = in;
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(tooLarge(request, "more than " + limit + " bytes (sent chunked)"));
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
