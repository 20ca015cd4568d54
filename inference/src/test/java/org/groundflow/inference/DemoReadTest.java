package org.groundflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.groundflow.dicomweb.CodedConcept;
import org.groundflow.dicomweb.synthetic.Lesion;
import org.groundflow.dicomweb.synthetic.SyntheticStudy;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo study as the demo shows it: its DICOM files read by {@link ImageVolumeReader} and interpreted by the
 * bundled model find the two lung nodules and the liver lesion of PHANTOM.md, each at its place and in its organ.
 */
class DemoReadTest {

    @TempDir
    Path work;

    @Test
    void theDemoStudyGivesItsTwoNodulesAndItsLiverLesion() {
        ImageVolume volume = ImageVolumeReader.read(SyntheticStudy.demo().writeTo(work));
        InterpretationResult result = new GroundedInterpreter(DemoModel.get()).interpret(volume);

        // the three lesions and nothing else: at the card's operating point no false finding remains here
        List<Finding> findings = result.interpretation().findings();
        assertThat(findings).extracting(Finding::label).containsExactly("nodule", "nodule", "liver lesion");
        assertThat(findings.subList(0, 2)).extracting(Finding::site).containsOnly(CodedConcept.sct("39607008", "Lung"));
        assertThat(findings.subList(0, 2)).extracting(Finding::laterality).containsExactly(Laterality.RIGHT, Laterality.LEFT);
        List<Lesion> lesions = SyntheticStudy.DEMO_LESIONS;
        for (int n = 0; n < 3; n++) {
            Lesion lesion = lesions.get(n);
            Finding finding = findings.get(n);
            assertThat(finding.site()).isEqualTo(n < 2 ? CodedConcept.sct("39607008", "Lung")
                    : CodedConcept.sct("10200004", "Liver"));
            double[] centre = centroid(volume, result, finding);
            assertThat(centre[0]).as("x of %s", finding.text()).isCloseTo(lesion.x(), within(3.0));
            assertThat(centre[1]).as("y of %s", finding.text()).isCloseTo(lesion.y(), within(3.0));
            assertThat(centre[2]).as("z of %s", finding.text()).isCloseTo(lesion.z(), within(3.0));
            // the liver lesion is outlined short of its edge (see the card's Dice on generator B): diameter within 10 mm
            assertThat(finding.measurements().longestAxialDiameterMm()).as("diameter of %s", finding.text())
                    .isCloseTo(2 * lesion.radius(), within(n < 2 ? 4.0 : 10.0));
        }
        assertThat(result.interpretation().impression()).isEqualTo("2 nodules and 1 liver lesion; see findings.");
    }

    private static double[] centroid(ImageVolume volume, InterpretationResult result, Finding finding) {
        return Morphometry.centroid(volume, result.mask(finding.segmentNumber()).voxels().stream().toArray());
    }
}
