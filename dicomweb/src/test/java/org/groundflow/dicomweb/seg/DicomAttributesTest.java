package org.groundflow.dicomweb.seg;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.groundflow.dicomweb.StudyContext;
import org.groundflow.dicomweb.Uid;
import org.junit.jupiter.api.Test;

class DicomAttributesTest {

    private static final Uid STUDY = Uid.of("2.25.200");

    @Test
    void issuerOfPatientIdIsCopiedWhenTheSourceNamesOne() throws Exception {
        AttributeList list = new AttributeList();

        DicomAttributes.putPatientAndStudy(list, study("HOSPITAL-A"), STUDY);

        assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.IssuerOfPatientID)).isEqualTo("HOSPITAL-A");
        assertThat(Attribute.getSingleStringValueOrNull(list, TagFromName.PatientID)).isEqualTo("PAT-1");
    }

    @Test
    void issuerOfPatientIdIsLeftOutWhenTheSourceNamesNone() throws Exception {
        AttributeList withBlank = new AttributeList();
        AttributeList withNull = new AttributeList();

        DicomAttributes.putPatientAndStudy(withBlank, study(" "), STUDY);
        DicomAttributes.putPatientAndStudy(withNull, study(null), STUDY);

        assertThat(withBlank.get(TagFromName.IssuerOfPatientID)).isNull();
        assertThat(withNull.get(TagFromName.IssuerOfPatientID)).isNull();
    }

    private static StudyContext study(String issuer) {
        return new StudyContext("Doe^Jane", "PAT-1", "", "F", "20240315", "101500", "1", "ACC-1", "", "CT",
                issuer);
    }
}
