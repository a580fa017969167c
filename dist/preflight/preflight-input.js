// The input of a pre-flight run, as a zod schema the MCP tool and the CLI both use.
import { z } from 'zod';
import { CHECK_NAMES } from './check-result.js';
export const PreflightInputSchema = z.object({
    task_yaml: z.string().min(1).describe('Path of the SkyPilot task YAML the job will launch'),
    cloud: z.string().optional().describe('Cloud to check credentials and prices for (aws, gcp, lambda, …); default the task’s infra'),
    gpu: z.string().optional().describe('Accelerator, e.g. A100:1; default the task’s resources.accelerators'),
    image: z.string().optional().describe('Docker image; default the task’s resources.image_id (a non-docker image is skipped)'),
    tracking_url: z
        .string()
        .optional()
        .describe('Tracking server, e.g. http://127.0.0.1:5000 (GET /health; auth from MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD); default $MLFLOW_TRACKING_URI'),
    dvc_remote: z.string().optional().describe('DVC remote the job pulls from; without it the DVC check is skipped'),
    dvc_dir: z.string().optional().describe('DVC project directory; default the current directory'),
    required_env: z.array(z.string()).optional().describe('Names of environment variables that must be set (values are never shown)'),
    min_free_disk_gb: z.number().nonnegative().optional().describe('Free space needed where outputs/ lives; default 20 GB'),
    outputs_dir: z.string().optional().describe('Directory whose disk is checked; default $SKYLOOP_OUTPUTS_DIR or ./outputs'),
    overrides: z.array(z.enum(CHECK_NAMES)).optional().describe(`Checks whose failure does not block the launch: ${CHECK_NAMES.join(', ')}`),
});
