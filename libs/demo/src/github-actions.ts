import type { GithubAction, KeyProfile } from './model.ts';
import type { Rng } from './rng.ts';

function gh(method: GithubAction['method'], route: string): GithubAction {
  return { provider: 'github', method, route };
}

/** GitHub REST calls that appear as `api.request` audit events (repository context, so actor_ip is logged). */
export const GITHUB = {
  getRepo: gh('GET', '/repositories/:repository_id'),
  getContents: gh('GET', '/repositories/:repository_id/contents/*path'),
  listPulls: gh('GET', '/repositories/:repository_id/pulls'),
  createPull: gh('POST', '/repositories/:repository_id/pulls'),
  listBranches: gh('GET', '/repositories/:repository_id/branches'),
  getRef: gh('GET', '/repositories/:repository_id/git/ref/*ref'),
  createRef: gh('POST', '/repositories/:repository_id/git/refs'),
  latestRelease: gh('GET', '/repositories/:repository_id/releases/latest'),
  createRelease: gh('POST', '/repositories/:repository_id/releases'),
  tarball: gh('GET', '/repositories/:repository_id/tarball/*ref'),
  listSecrets: gh('GET', '/repositories/:repository_id/actions/secrets'),
  listCollaborators: gh('GET', '/repositories/:repository_id/collaborators'),
} as const satisfies Record<string, GithubAction>;

const CONTENT_PATHS = ['package.json', 'package-lock.json', 'go.mod', 'requirements.txt', '.github/dependabot.yml'];

/** The concrete request path for a route, in one of the key's repositories. */
export function githubPath(action: GithubAction, key: KeyProfile, rng: Rng, repo = rng.pick(key.resources.githubRepos)): string {
  const base = `/repos/${key.resources.githubOrg}/${repo}`;
  switch (action.route) {
    case GITHUB.getContents.route:
      return `${base}/contents/${rng.pick(CONTENT_PATHS)}`;
    case GITHUB.getRef.route:
      return `${base}/git/ref/heads/main`;
    case GITHUB.createRef.route:
      return `${base}/git/refs`;
    case GITHUB.tarball.route:
      return `${base}/tarball/main`;
    case GITHUB.latestRelease.route:
      return `${base}/releases/latest`;
    case GITHUB.createRelease.route:
      return `${base}/releases`;
    default:
      return base + action.route.replace('/repositories/:repository_id', '');
  }
}
