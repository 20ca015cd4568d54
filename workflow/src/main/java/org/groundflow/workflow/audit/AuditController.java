package org.groundflow.workflow.audit;

import java.util.List;
import org.groundflow.dicomweb.Uid;
import org.groundflow.workflow.audit.SignOffAudit.SignOffRecord;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/studies/{studyInstanceUid}/audit}: every sign-off of a study and what it changed. */
@RestController
public class AuditController {

    private final SignOffAudit audit;

    public AuditController(SignOffAudit audit) {
        this.audit = audit;
    }

    @GetMapping("/api/studies/{studyInstanceUid}/audit")
    public List<SignOffRecord> audit(@PathVariable String studyInstanceUid) {
        return audit.forStudy(Uid.of(studyInstanceUid).value());
    }
}
