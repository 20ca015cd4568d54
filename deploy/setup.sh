#!/usr/bin/env bash
# Installs what Groundflow needs on Debian 12, idempotently:
# Debian packages (Orthanc + DICOMweb, PixelMed, GDCM, PyTorch for training, validators, Chromium, Node.js, jemalloc),
# PixelMed, its ImageIO codecs and GDCM's Java binding in the local Maven repository (PixelMed's manifest Class-Path stripped),
# and the npm packages of the browser checks (never a browser download: Debian's chromium is used).
set -euo pipefail

PACKAGES=(orthanc orthanc-dicomweb libpixelmed-java libpixelmed-imageio-java libgdcm-java libgdcm-tools python3-torch
          python3-numpy python3-scipy python3-pydicom python3-pil dicom3tools dcmtk chromium postgresql curl unzip zip
          libjemalloc2)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PIXELMED_VERSION=20220618
# the repository Maven uses: MAVEN_REPO, else -Dmaven.repo.local in MAVEN_OPTS, else ~/.m2/repository
repo_in_opts=$(sed -n 's/.*-Dmaven\.repo\.local=\([^ ]*\).*/\1/p' <<<"${MAVEN_OPTS:-}")
repo="${MAVEN_REPO:-${repo_in_opts:-$HOME/.m2/repository}}"
target="$repo/com/pixelmed/pixelmed/$PIXELMED_VERSION/pixelmed-$PIXELMED_VERSION.jar"
if [ ! -f "$target" ]; then
  echo "setup: installing PixelMed $PIXELMED_VERSION into $repo (manifest Class-Path removed)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cp /usr/share/java/pixelmed.jar "$tmp/pixelmed.jar"
  (cd "$tmp" && unzip -q -o pixelmed.jar META-INF/MANIFEST.MF \
     && awk '/^Class-Path:/{skip=1;next} skip&&/^ /{next} {skip=0;print}' META-INF/MANIFEST.MF > MANIFEST.clean \
     && cp MANIFEST.clean META-INF/MANIFEST.MF \
     && zip -q pixelmed.jar META-INF/MANIFEST.MF)
  mvn -B -q -Dmaven.repo.local="$repo" install:install-file -Dfile="$tmp/pixelmed.jar" -DgroupId=com.pixelmed -DartifactId=pixelmed \
      -Dversion=$PIXELMED_VERSION -Dpackaging=jar -DgeneratePom=true
fi

# PixelMed's JPEG (lossless) ImageIO codec, for decoding compressed series.
IMAGEIO_VERSION=20200328
if [ ! -f "$repo/com/pixelmed/pixelmed-imageio/$IMAGEIO_VERSION/pixelmed-imageio-$IMAGEIO_VERSION.jar" ]; then
  echo "setup: installing PixelMed ImageIO $IMAGEIO_VERSION into $repo"
  mvn -B -q -Dmaven.repo.local="$repo" install:install-file -Dfile=/usr/share/java/pixelmed_imageio.jar -DgroupId=com.pixelmed \
      -DartifactId=pixelmed-imageio -Dversion=$IMAGEIO_VERSION -Dpackaging=jar -DgeneratePom=true
fi

# GDCM's Java binding (Debian libgdcm-java: /usr/share/java/gdcm.jar, native part in /usr/lib/x86_64-linux-gnu/jni),
# the codec of compressed series (JPEG 2000, JPEG-LS, JPEG lossless, RLE).
GDCM_VERSION=3.0.21
if [ ! -f "$repo/gdcm/gdcm/$GDCM_VERSION/gdcm-$GDCM_VERSION.jar" ]; then
  echo "setup: installing GDCM's Java binding $GDCM_VERSION into $repo"
  mvn -B -q -Dmaven.repo.local="$repo" install:install-file -Dfile=/usr/share/java/gdcm.jar -DgroupId=gdcm -DartifactId=gdcm \
      -Dversion=$GDCM_VERSION -Dpackaging=jar -DgeneratePom=true
fi

# npm packages of the browser checks, each folder pinned by its package-lock.json and installed again only when
# that lock changes. playwright-core drives Debian's chromium: no browser is ever downloaded.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing Debian packages: nodejs npm"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
}
npm_packages() { # folder, what they are for
  local dir=$1 stamp="$1/node_modules/.groundflow-package-lock.json"
  [ -f "$dir/package-lock.json" ] || return 0
  ensure_node
  if ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: installing the npm packages of $2 in ${dir#"$ROOT"/}"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The review UI's browser test (workflow: ReviewUiBrowserTest).
npm_packages "$ROOT/workflow/src/test/browser" "the review UI's browser test"

# Viewer acceptance of the published SEG (dicomweb: ViewerAcceptanceTest; deploy/ohif): @cornerstonejs/adapters
# and dcmjs as OHIF 3.13 pins them; and OHIF 3.13.2's prebuilt viewer (npm @ohif/app's dist/, without the ONNX and
# microscopy bundles it does not need for CT + SEG) unpacked once into a cache outside the repository, which
# run.sh also serves.
OHIF_DIR="$ROOT/deploy/ohif"
OHIF_VERSION=3.13.2
OHIF_CACHE="${GROUNDFLOW_CACHE:-$HOME/.cache/groundflow}"
npm_packages "$OHIF_DIR" "the viewer checks"
if [ -f "$OHIF_DIR/package-lock.json" ] && [ ! -f "$OHIF_CACHE/ohif-app-$OHIF_VERSION/dist/index.html" ]; then
  echo "setup: unpacking OHIF $OHIF_VERSION (npm pack @ohif/app@$OHIF_VERSION) into $OHIF_CACHE"
  mkdir -p "$OHIF_CACHE"
  tmp_ohif=$(mktemp -d "$OHIF_CACHE/ohif-app-$OHIF_VERSION.XXXXXX")
  (cd "$tmp_ohif" && npm pack "@ohif/app@$OHIF_VERSION" --silent >/dev/null \
    && mkdir unpacked && tar -xzf "ohif-app-$OHIF_VERSION.tgz" -C unpacked --strip-components=1 \
         --exclude='package/dist/ort' --exclude='package/dist/dicom-microscopy-viewer' package/dist)
  rm -rf "$OHIF_CACHE/ohif-app-$OHIF_VERSION"
  mv "$tmp_ohif/unpacked" "$OHIF_CACHE/ohif-app-$OHIF_VERSION"
  rm -rf "$tmp_ohif"
fi

echo "setup: ready"
