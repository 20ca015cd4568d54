package org.groundflow.workflow.api;

import java.util.List;
import org.groundflow.workflow.config.GroundflowProperties;
import org.groundflow.workflow.security.Roles;
import org.groundflow.workflow.security.SignedInUser;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/me}: who is signed in, their groups and the viewer link template the review UI fills in. Answering it
 * also sets the CSRF cookie, so a page that starts with this call can send the token on its first POST.
 */
@RestController
@RequestMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
public class MeController {

    private final GroundflowProperties properties;

    public MeController(GroundflowProperties properties) {
        this.properties = properties;
    }

    /**
     * @param viewerUrl  link to a study in the web viewer; {@code {studyInstanceUid}} stands for the study's UID
     * @param csrfHeader the header that carries the CSRF token (from its cookie) on cookie-authenticated POSTs
     */
    public record Me(String userId, List<String> groups, boolean admin, String viewerUrl, String csrfHeader) {
    }

    @GetMapping
    public Me me(CsrfToken csrf) {
        SignedInUser user = SignedInUser.current();
        String header = null;
        if (csrf != null) {
            csrf.getToken(); // renders the deferred token, which writes its cookie
            header = csrf.getHeaderName();
        }
        return new Me(user.id(), user.groups(), user.groups().contains(Roles.ADMIN_GROUP), properties.viewer().url(), header);
    }
}
