import { RegistryError } from '../registry/registry-errors.js';
import { checkClock, errorMessage } from './check-result.js';
const HINTS = {
    not_found: (image) => `build and push the image (\`docker push ${image}\`) or fix the tag in image_id`,
    auth_required: () => 'log in to the registry (`docker login <registry>`) so the check and the cloud can pull it',
    auth_denied: () => 'the registry refused the credentials: check the account may pull this repository, then `docker login` again',
    credentials_unreadable: () => 'fix the Docker config (~/.docker/config.json or $DOCKER_CONFIG) or its credential helper',
    unreachable: () => 'check the registry host, the network, and that the registry is up',
    invalid_reference: () => 'fix image_id: it must be docker:[registry/]repository[:tag][@sha256:…]',
    unexpected_response: () => 'try `docker manifest inspect` on the image to see what the registry answers',
};
export async function checkImageInRegistry(input, deps) {
    const clock = checkClock('image_in_registry');
    if (input.image === null)
        return clock.skipped('the task has no image_id (SkyPilot runs it on its default VM image)');
    if (!input.is_docker) {
        return clock.skipped(`image_id ${input.image} is not a Docker image (no docker: prefix), so there is no registry to ask`);
    }
    const image = input.image.replace(/^docker:/, '');
    try {
        const found = await deps.resolveDigest(input.image, { env: deps.env });
        return clock.pass(`${image} exists in ${found.registry} (${found.digest})`, null, {
            digest: found.digest,
            registry: found.registry,
            repository: found.repository,
        });
    }
    catch (e) {
        if (e instanceof RegistryError)
            return clock.fail(e.message, HINTS[e.kind](image), { kind: e.kind });
        return clock.fail(`could not ask the registry about ${image}: ${errorMessage(e)}`, 'try `docker manifest inspect` on the image');
    }
}
