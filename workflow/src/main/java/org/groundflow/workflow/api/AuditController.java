package org.groundflow.workflow.api;

import java.util.List;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.audit.SignOffAudit;
import org.groundflow.workflow.audit.SignOffAudit.SignOffRecord;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/studies/{studyInstanceUid}/audit}: every sign-off of a study and what it changed, for admins and
 * for the users who may see one of the study's reads.
 */
@RestController
public class AuditController {

    private final SignOffAudit audit;
    private final ReadAccess access;

    public AuditController(SignOffAudit audit, ReadAccess access) {
        this.audit = audit;
        this.access = access;
    }

    @GetMapping(path = "/api/studies/{studyInstanceUid}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<SignOffRecord> audit(@PathVariable String studyInstanceUid) {
        String study;
        try {
            study = Uid.of(studyInstanceUid).value();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("studyInstanceUid: " + e.getMessage());
        }
        access.requireStudyViewer(study);
        return audit.forStudy(study);
    }
}
