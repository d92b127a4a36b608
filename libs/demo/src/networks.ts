/**
 * Real address ranges, so that geo/ASN enrichment in the demo tells a true story. Every /24 below was
 * checked host by host against geoip-lite (country) and the ip-location-db ASN table; test/networks.test.ts
 * re-checks the countries. Changing a prefix means re-running that test.
 */
export interface Network {
  id: string;
  label: string;
  country: string;
  asn: number;
  /** /24 prefixes, written as their first three octets. */
  prefixes: readonly string[];
  /**
   * An ISP whose every address geolocates to a city: a physical place, so it counts for impossible travel.
   * Cloud, hosting and VPN networks never do, nor do ISP ranges geolocated only to a country.
   */
  physical?: true;
}

/** Where the fleet's bots run: cloud regions and office ISPs. */
export const HOME_NETWORKS = {
  awsUsEast1: {
    id: 'aws-us-east-1',
    label: 'AWS us-east-1',
    country: 'US',
    asn: 14618,
    prefixes: ['3.208.41', '3.214.77', '3.220.133', '34.195.18'],
  },
  awsEuCentral1: {
    id: 'aws-eu-central-1',
    label: 'AWS eu-central-1',
    country: 'DE',
    asn: 16509,
    prefixes: ['3.120.55', '18.184.97', '18.185.12', '52.57.140', '35.157.20'],
  },
  awsEuWest1: {
    id: 'aws-eu-west-1',
    label: 'AWS eu-west-1',
    country: 'IE',
    asn: 16509,
    prefixes: ['34.240.66', '52.208.19', '54.74.30', '34.250.8'],
  },
  awsApNortheast1: {
    id: 'aws-ap-northeast-1',
    label: 'AWS ap-northeast-1',
    country: 'JP',
    asn: 16509,
    prefixes: ['13.112.201', '13.230.44', '52.192.87', '54.64.150', '54.250.60'],
  },
  gcpUsCentral1: {
    id: 'gcp-us-central1',
    label: 'Google Cloud us-central1',
    country: 'US',
    asn: 396982,
    prefixes: ['35.184.40', '34.72.90', '35.222.16', '104.197.133'],
  },
  officeUsVerizon: {
    id: 'office-us-verizon',
    label: 'New York office (Verizon Business)',
    country: 'US',
    asn: 701,
    prefixes: ['71.105.3', '108.46.20'],
    physical: true,
  },
  officeDeTelekom: {
    id: 'office-de-telekom',
    label: 'Berlin office (Deutsche Telekom)',
    country: 'DE',
    asn: 3320,
    prefixes: ['93.192.1', '93.220.40', '79.192.30'],
    physical: true,
  },
  officeJpNtt: {
    id: 'office-jp-ntt',
    label: 'Tokyo office (NTT Communications)',
    country: 'JP',
    asn: 4713,
    prefixes: ['153.150.3', '153.150.90'],
  },
} as const satisfies Record<string, Network>;

/** Where attackers come from: VPS providers and residential ISPs, home country and abroad. */
export const ATTACKER_NETWORKS: readonly Network[] = [
  {
    id: 'digitalocean-nl',
    label: 'DigitalOcean Amsterdam',
    country: 'NL',
    asn: 14061,
    prefixes: ['188.166.10', '188.166.90', '167.99.40'],
  },
  { id: 'ovh-fr', label: 'OVH France', country: 'FR', asn: 16276, prefixes: ['51.68.10', '51.75.20'] },
  { id: 'hetzner-de', label: 'Hetzner Germany', country: 'DE', asn: 24940, prefixes: ['159.69.10', '116.202.5', '88.198.4'] },
  { id: 'ovh-de', label: 'OVH Germany', country: 'DE', asn: 16276, prefixes: ['145.239.3'] },
  { id: 'rostelecom-ru', label: 'Rostelecom (Russia)', country: 'RU', asn: 12389, prefixes: ['5.136.10'] },
  {
    id: 'vimpelcom-ru',
    label: 'Beeline / Vimpelcom (Russia)',
    country: 'RU',
    asn: 8402,
    prefixes: ['95.24.10'],
    physical: true,
  },
  { id: 'mts-ru', label: 'MTS (Russia)', country: 'RU', asn: 8359, prefixes: ['213.87.100'], physical: true },
  { id: 'claro-br', label: 'Claro (Brazil)', country: 'BR', asn: 28573, prefixes: ['177.32.10'], physical: true },
  { id: 'vivo-br', label: 'Vivo / Telefonica (Brazil)', country: 'BR', asn: 26599, prefixes: ['179.100.1'], physical: true },
  {
    id: 'digitalocean-us',
    label: 'DigitalOcean New York/San Francisco',
    country: 'US',
    asn: 14061,
    prefixes: ['138.197.5', '104.131.1', '165.227.1', '161.35.200'],
  },
  { id: 'linode-us', label: 'Akamai Linode (US)', country: 'US', asn: 63949, prefixes: ['45.33.10'] },
  { id: 'vultr-us', label: 'Vultr New Jersey', country: 'US', asn: 20473, prefixes: ['45.76.3'] },
  { id: 'vultr-jp', label: 'Vultr Tokyo', country: 'JP', asn: 20473, prefixes: ['45.32.10'] },
  { id: 'sakura-jp', label: 'SAKURA Internet (Japan)', country: 'JP', asn: 7684, prefixes: ['153.127.10'] },
];

/**
 * GitHub-hosted Actions runners: Azure (AS8075) in East US, East US 2 and Central US. Every job runs on a
 * fresh VM, so a pipeline calls from a new address, usually in a new /24, on every run.
 */
export const GITHUB_RUNNERS: Network = {
  id: 'github-hosted-runners',
  label: 'GitHub-hosted runners (Azure US)',
  country: 'US',
  asn: 8075,
  // biome-ignore format: a pool of /24s reads better packed
  prefixes: [
    '13.82.161', '13.90.161', '13.92.17', '20.42.98', '40.71.17', '40.76.98', '40.88.161', '40.117.98',
    '40.121.17', '52.146.44', '52.168.17', '52.170.203', '13.68.98', '20.41.17', '40.70.17', '40.79.17',
    '52.167.98', '52.177.203', '13.89.203', '40.77.17', '40.83.17', '52.154.17', '52.165.161', '52.173.98',
  ],
};

export const ALL_NETWORKS: readonly Network[] = [...Object.values(HOME_NETWORKS), ...ATTACKER_NETWORKS, GITHUB_RUNNERS];

/** The network an address was drawn from (by its /24), or undefined. */
export function networkOf(ip: string): Network | undefined {
  const prefix = ip.split('.').slice(0, 3).join('.');
  return ALL_NETWORKS.find((n) => n.prefixes.includes(prefix));
}
