// Reads the published DICOM-SEG from the PACS the way OHIF 3.13 does, with @cornerstonejs/adapters 5.6.8 and dcmjs
// in Node: every segment must land on the source frames the Java side expects, with the expected voxel counts, and
// carry its label. Run by ViewerAcceptanceTest; prints one JSON line, exit 0 when everything matched.
//
// Environment: ORTHANC_URL (PACS root, DICOMweb under /dicom-web), EXPECTED (JSON file: study, source.series,
// seg.series, seg.instance, segments[{number, label, voxels, slices: {sopInstanceUid: voxels}}]).
import { register } from 'node:module';
import { DicomWeb, expected, finish, required } from './dicomweb.mjs';

if (typeof register === 'function') {
  register('./esm-hooks.mjs', import.meta.url);
}
const { adaptersSEG } = await import('@cornerstonejs/adapters');
const { default: dcmjs } = await import('dcmjs');

const started = Date.now();
const problems = [];

function metadataProvider(instances) {
  const byImageId = new Map(instances.map(i => [i.imageId, i]));
  return {
    get(type, imageId) {
      const item = byImageId.get(imageId);
      if (!item) {
        return undefined;
      }
      const ds = item.dataset;
      switch (type) {
        case 'instance':
          return ds;
        case 'generalSeriesModule':
          return { seriesInstanceUID: ds.SeriesInstanceUID, modality: ds.Modality };
        case 'generalImageModule':
          return { sopInstanceUID: ds.SOPInstanceUID, instanceNumber: ds.InstanceNumber };
        case 'imagePlaneModule': {
          const iop = ds.ImageOrientationPatient.map(Number);
          const spacing = ds.PixelSpacing.map(Number);
          return {
            frameOfReferenceUID: ds.FrameOfReferenceUID,
            rows: ds.Rows,
            columns: ds.Columns,
            imageOrientationPatient: iop,
            rowCosines: iop.slice(0, 3),
            columnCosines: iop.slice(3, 6),
            imagePositionPatient: ds.ImagePositionPatient.map(Number),
            sliceThickness: Number(ds.SliceThickness),
            pixelSpacing: spacing,
            rowPixelSpacing: spacing[0],
            columnPixelSpacing: spacing[1]
          };
        }
        default:
          return undefined;
      }
    }
  };
}

try {
  const pacs = new DicomWeb(required('ORTHANC_URL'));
  const want = expected();
  const metadata = await pacs.seriesMetadata(want.study, want.source.series);
  // Stack order as OHIF builds it for an axial CT: by position along the normal, one imageId per instance.
  const instances = metadata.map(json => {
    const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(json);
    return { dataset, imageId: `wadors:/dicom-web/studies/${want.study}/series/${want.source.series}/instances/${dataset.SOPInstanceUID}/frames/1` };
  }).sort((a, b) => Number(b.dataset.ImagePositionPatient[2]) - Number(a.dataset.ImagePositionPatient[2]));
  const imageIds = instances.map(i => i.imageId);
  const bytes = await pacs.instance(want.study, want.seg.series, want.seg.instance);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

  const state = await adaptersSEG.Cornerstone.Segmentation.generateToolState(imageIds, buffer,
    metadataProvider(instances), { skipOverlapping: false, tolerance: 1e-3 });
  if (!state || !state.labelmapBufferArray) {
    throw new Error('the adapters returned no labelmap for the SEG');
  }
  if (state.overlapping) {
    problems.push('the adapters found overlapping segments');
  }
  const sliceLength = instances[0].dataset.Rows * instances[0].dataset.Columns;
  const labelmap = new Uint8Array(state.labelmapBufferArray[0]);
  const found = {};
  instances.forEach((instance, index) => {
    const slice = labelmap.subarray(index * sliceLength, (index + 1) * sliceLength);
    for (let i = 0; i < slice.length; i++) {
      const segment = slice[i];
      if (segment !== 0) {
        const entry = found[segment] || (found[segment] = { voxels: 0, slices: {} });
        entry.voxels++;
        entry.slices[instance.dataset.SOPInstanceUID] = (entry.slices[instance.dataset.SOPInstanceUID] || 0) + 1;
      }
    }
  });
  const segments = [];
  for (const segment of want.segments) {
    const meta = state.segMetadata && state.segMetadata.data ? state.segMetadata.data[segment.number] : undefined;
    const label = meta ? meta.SegmentLabel : undefined;
    const got = found[segment.number] || { voxels: 0, slices: {} };
    segments.push({ number: segment.number, label, voxels: got.voxels, slices: Object.keys(got.slices).length });
    if (label !== segment.label) {
      problems.push(`segment ${segment.number}: label ${JSON.stringify(label)}, expected ${JSON.stringify(segment.label)}`);
    }
    if (got.voxels !== segment.voxels) {
      problems.push(`segment ${segment.number}: ${got.voxels} voxels, expected ${segment.voxels}`);
    }
    for (const [sop, count] of Object.entries(segment.slices)) {
      if (got.slices[sop] !== count) {
        problems.push(`segment ${segment.number} on source instance ${sop}: ${got.slices[sop] || 0} voxels, expected ${count}`);
      }
    }
    for (const sop of Object.keys(got.slices)) {
      if (!(sop in segment.slices)) {
        problems.push(`segment ${segment.number} lands on source instance ${sop}, where it has no voxels`);
      }
    }
  }
  for (const number of Object.keys(found)) {
    if (!want.segments.some(s => String(s.number) === number)) {
      problems.push(`the labelmap holds segment ${number}, which was not published`);
    }
  }
  finish({ ok: problems.length === 0, check: 'adapters', adapters: '5.6.8', segments, problems, ms: Date.now() - started });
} catch (error) {
  finish({ ok: false, check: 'adapters', problems: [...problems, String(error && error.stack || error)], ms: Date.now() - started });
}
