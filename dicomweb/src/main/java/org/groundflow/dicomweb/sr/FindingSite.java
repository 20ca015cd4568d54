package org.groundflow.dicomweb.sr;

import java.util.Objects;

import org.groundflow.dicomweb.CodedConcept;

/**
 * Where a finding lies (TID 1419 "Finding Site", SCT 363698007), with its laterality as a modifier when the site is
 * paired.
 *
 * @param site       an anatomic site, e.g. {@link ReportCodes#LUNG}
 * @param laterality {@link ReportCodes#RIGHT} or {@link ReportCodes#LEFT}; null when not lateral
 */
public record FindingSite(CodedConcept site, CodedConcept laterality) {

    public FindingSite {
        Objects.requireNonNull(site, "site");
    }

    public static FindingSite of(CodedConcept site) {
        return new FindingSite(site, null);
    }
}
