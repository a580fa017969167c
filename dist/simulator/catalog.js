// A small built-in GPU catalog. Provenance: the four H100:8 rows are verbatim from SkyPilot's
// docs (`docs/source/compute/show-gpus-h100-8.txt`); Lambda V100/A100 and RunPod A100-80GB rows
// from skypilot-catalog `catalogs/v7/{lambda,runpod}/vms.csv`; the remaining AWS/GCP rows use the
// providers' published on-demand prices, with spot prices approximate (they move daily anyway).
const r = (gpu, qty, cloud, instance, deviceMem, vcpus, hostMem, price, spot, region) => ({ gpu, qty, cloud, instance, deviceMem, vcpus, hostMem, price, spot, region });
export const CATALOG = [
    r('H100', 8, 'Lambda', 'gpu_8x_h100_sxm5', 80, 208, 1800, 23.92, null, 'europe-central-1'),
    r('H100', 8, 'RunPod', '8x_H100_SECURE', null, 128, 640, 35.92, null, 'CA'),
    r('H100', 8, 'GCP', 'a3-highgpu-8g', 80, 208, 1872, 46.021, 20.199, 'us-central1'),
    r('H100', 8, 'AWS', 'p5.48xlarge', 80, 192, 2048, 98.32, 9.832, 'us-east-2'),
    r('A100', 8, 'Lambda', 'gpu_8x_a100', 40, 124, 1800, 10.32, null, 'europe-central-1'),
    r('A100', 1, 'GCP', 'a2-highgpu-1g', 40, 12, 85, 3.673, 1.102, 'us-central1'),
    r('A100', 8, 'GCP', 'a2-highgpu-8g', 40, 96, 680, 29.387, 8.816, 'us-central1'),
    r('A100', 8, 'AWS', 'p4d.24xlarge', 40, 96, 1152, 32.773, 9.832, 'us-east-1'),
    r('A100-80GB', 1, 'RunPod', '1x_A100-80GB_SECURE', 80, 8, 80, 1.64, 1.19, 'CA'),
    r('A100-80GB', 8, 'RunPod', '8x_A100-80GB_SECURE', 80, 64, 640, 12.96, 9.52, 'CA'),
    r('A100-80GB', 1, 'GCP', 'a2-ultragpu-1g', 80, 12, 170, 5.069, 1.521, 'us-central1'),
    r('A100-80GB', 8, 'AWS', 'p4de.24xlarge', 80, 96, 1152, 40.966, 12.29, 'us-east-1'),
    r('L4', 1, 'GCP', 'g2-standard-4', 24, 4, 16, 0.707, 0.283, 'us-central1'),
    r('L4', 1, 'AWS', 'g6.xlarge', 24, 4, 16, 0.805, 0.322, 'us-east-1'),
    r('L4', 8, 'AWS', 'g6.48xlarge', 24, 192, 768, 13.35, 5.34, 'us-east-1'),
    r('T4', 1, 'AWS', 'g4dn.xlarge', 16, 4, 16, 0.526, 0.158, 'us-east-1'),
    r('T4', 1, 'GCP', null, 16, null, null, 0.35, 0.14, 'us-central1'),
    r('V100', 1, 'AWS', 'p3.2xlarge', 16, 8, 61, 3.06, 0.918, 'us-east-1'),
    r('V100', 8, 'AWS', 'p3.16xlarge', 16, 64, 488, 24.48, 7.344, 'us-east-1'),
    r('V100', 8, 'Lambda', 'gpu_8x_v100', 16, 92, 448, 4.4, null, 'europe-central-1'),
    r('V100', 1, 'GCP', null, 16, null, null, 2.48, 0.992, 'us-central1'),
];
/** Docs example of the CPU-only candidate (`managed-jobs.rst`). */
export const CPU_ROW = r('-', 0, 'AWS', 'm6i.2xlarge', null, 8, 32, 0.384, 0.1, 'us-east-1');
export const CLOUD_NAMES = {
    aws: 'AWS',
    gcp: 'GCP',
    azure: 'Azure',
    lambda: 'Lambda',
    runpod: 'RunPod',
    kubernetes: 'Kubernetes',
    k8s: 'Kubernetes',
};
export function canonicalCloud(name) {
    return CLOUD_NAMES[name.toLowerCase()] ?? name;
}
