/**
 * Where each cloud region physically is: the metro area of its data centres, from the providers' own
 * region pages (AWS "Regions and Availability Zones", Google Cloud "Regions and zones", Azure
 * `az account list-locations`). City-level is all impossible travel needs: regions are hundreds of km
 * apart, the alarm distance is thousands. Regions missing here are still recognised as the provider's
 * but not placed (no coordinates), so they never take part in distance judgements.
 */
export type CloudProvider = 'aws' | 'gcp' | 'azure';

export const CLOUD_PROVIDERS: readonly CloudProvider[] = ['aws', 'gcp', 'azure'];

type Place = readonly [latitude: number, longitude: number];

const AWS: Record<string, Place> = {
  'us-east-1': [39.04, -77.49], // N. Virginia (Ashburn)
  'us-east-2': [39.96, -83.0], // Ohio (Columbus)
  'us-west-1': [37.35, -121.96], // N. California (San Jose)
  'us-west-2': [45.84, -119.7], // Oregon (Boardman)
  'us-gov-east-1': [39.96, -83.0], // GovCloud (US-East), Ohio
  'us-gov-west-1': [45.84, -119.7], // GovCloud (US-West), Oregon
  'ca-central-1': [45.5, -73.57], // Montréal
  'ca-west-1': [51.05, -114.07], // Calgary
  'mx-central-1': [20.59, -100.39], // Querétaro
  'sa-east-1': [-23.55, -46.63], // São Paulo
  'eu-central-1': [50.11, 8.68], // Frankfurt
  'eu-central-2': [47.38, 8.54], // Zurich
  'eu-west-1': [53.35, -6.26], // Ireland (Dublin)
  'eu-west-2': [51.51, -0.13], // London
  'eu-west-3': [48.86, 2.35], // Paris
  'eu-north-1': [59.33, 18.07], // Stockholm
  'eu-south-1': [45.46, 9.19], // Milan
  'eu-south-2': [41.65, -0.88], // Spain (Aragón)
  'eusc-de-east-1': [52.4, 13.06], // European Sovereign Cloud (Brandenburg)
  'il-central-1': [32.09, 34.78], // Tel Aviv
  'me-south-1': [26.07, 50.56], // Bahrain
  'me-central-1': [25.2, 55.27], // UAE
  'af-south-1': [-33.92, 18.42], // Cape Town
  'ap-east-1': [22.32, 114.17], // Hong Kong
  'ap-east-2': [25.03, 121.57], // Taipei
  'ap-south-1': [19.08, 72.88], // Mumbai
  'ap-south-2': [17.39, 78.49], // Hyderabad
  'ap-southeast-1': [1.35, 103.82], // Singapore
  'ap-southeast-2': [-33.87, 151.21], // Sydney
  'ap-southeast-3': [-6.21, 106.85], // Jakarta
  'ap-southeast-4': [-37.81, 144.96], // Melbourne
  'ap-southeast-5': [3.14, 101.69], // Malaysia
  'ap-southeast-6': [-36.85, 174.76], // New Zealand
  'ap-southeast-7': [13.76, 100.5], // Thailand
  'ap-northeast-1': [35.68, 139.69], // Tokyo
  'ap-northeast-2': [37.57, 126.98], // Seoul
  'ap-northeast-3': [34.69, 135.5], // Osaka
  'cn-north-1': [39.9, 116.4], // Beijing
  'cn-northwest-1': [37.51, 105.19], // Ningxia
};

const GCP: Record<string, Place> = {
  'us-central1': [41.26, -95.86], // Council Bluffs, Iowa
  'us-central2': [36.31, -95.32], // Pryor, Oklahoma
  'us-east1': [33.2, -80.01], // Moncks Corner, South Carolina
  'us-east4': [39.04, -77.49], // Ashburn, Virginia
  'us-east5': [39.96, -83.0], // Columbus, Ohio
  'us-south1': [32.78, -96.8], // Dallas
  'us-west1': [45.59, -121.18], // The Dalles, Oregon
  'us-west2': [34.05, -118.24], // Los Angeles
  'us-west3': [40.76, -111.89], // Salt Lake City
  'us-west4': [36.17, -115.14], // Las Vegas
  'us-west8': [33.45, -112.07], // Phoenix
  'northamerica-northeast1': [45.5, -73.57], // Montréal
  'northamerica-northeast2': [43.65, -79.38], // Toronto
  'northamerica-south1': [20.59, -100.39], // Querétaro
  'southamerica-east1': [-23.55, -46.63], // São Paulo
  'southamerica-west1': [-33.45, -70.67], // Santiago
  'europe-west1': [50.47, 3.82], // St. Ghislain, Belgium
  'europe-west2': [51.51, -0.13], // London
  'europe-west3': [50.11, 8.68], // Frankfurt
  'europe-west4': [53.44, 6.83], // Eemshaven, Netherlands
  'europe-west6': [47.38, 8.54], // Zurich
  'europe-west8': [45.46, 9.19], // Milan
  'europe-west9': [48.86, 2.35], // Paris
  'europe-west10': [52.52, 13.4], // Berlin
  'europe-west12': [45.07, 7.69], // Turin
  'europe-central2': [52.23, 21.01], // Warsaw
  'europe-north1': [60.57, 27.2], // Hamina, Finland
  'europe-north2': [59.33, 18.07], // Stockholm
  'europe-southwest1': [40.42, -3.7], // Madrid
  'me-west1': [32.09, 34.78], // Tel Aviv
  'me-central1': [25.29, 51.53], // Doha
  'me-central2': [26.43, 50.1], // Dammam
  'africa-south1': [-26.2, 28.05], // Johannesburg
  'asia-east1': [24.08, 120.54], // Changhua County, Taiwan
  'asia-east2': [22.32, 114.17], // Hong Kong
  'asia-northeast1': [35.68, 139.69], // Tokyo
  'asia-northeast2': [34.69, 135.5], // Osaka
  'asia-northeast3': [37.57, 126.98], // Seoul
  'asia-south1': [19.08, 72.88], // Mumbai
  'asia-south2': [28.61, 77.21], // Delhi
  'asia-southeast1': [1.35, 103.82], // Singapore
  'asia-southeast2': [-6.21, 106.85], // Jakarta
  'australia-southeast1': [-33.87, 151.21], // Sydney
  'australia-southeast2': [-37.81, 144.96], // Melbourne
};

const AZURE: Record<string, Place> = {
  eastus: [37.37, -79.82], // Virginia
  eastus2: [36.67, -78.39], // Virginia
  centralus: [41.59, -93.62], // Iowa
  northcentralus: [41.88, -87.63], // Illinois
  southcentralus: [29.42, -98.5], // Texas
  westcentralus: [40.89, -110.23], // Wyoming
  westus: [37.78, -122.42], // California
  westus2: [47.23, -119.85], // Washington
  westus3: [33.45, -112.07], // Arizona
  canadacentral: [43.65, -79.38], // Toronto
  canadaeast: [46.82, -71.22], // Québec City
  mexicocentral: [20.59, -100.39], // Querétaro
  brazilsouth: [-23.55, -46.63], // São Paulo
  brazilsoutheast: [-22.9, -43.2], // Rio de Janeiro
  chilecentral: [-33.45, -70.67], // Santiago
  northeurope: [53.35, -6.26], // Ireland
  westeurope: [52.37, 4.9], // Netherlands
  uksouth: [51.51, -0.13], // London
  ukwest: [51.48, -3.18], // Cardiff
  francecentral: [48.86, 2.35], // Paris
  francesouth: [43.3, 5.37], // Marseille
  germanywestcentral: [50.11, 8.68], // Frankfurt
  germanynorth: [53.07, 8.81], // Germany North (coordinates as Azure lists them)
  switzerlandnorth: [47.45, 8.56], // Zurich
  switzerlandwest: [46.2, 6.14], // Geneva
  norwayeast: [59.91, 10.75], // Oslo
  norwaywest: [58.97, 5.73], // Stavanger
  swedencentral: [60.67, 17.14], // Gävle
  polandcentral: [52.23, 21.01], // Warsaw
  italynorth: [45.46, 9.19], // Milan
  spaincentral: [40.42, -3.7], // Madrid
  austriaeast: [48.21, 16.37], // Vienna
  belgiumcentral: [50.85, 4.35], // Brussels
  denmarkeast: [55.68, 12.57], // Copenhagen
  israelcentral: [31.27, 33.45], // Israel
  qatarcentral: [25.29, 51.53], // Doha
  uaenorth: [25.27, 55.32], // Dubai
  uaecentral: [24.47, 54.37], // Abu Dhabi
  southafricanorth: [-25.73, 28.22], // Johannesburg
  southafricawest: [-34.08, 18.84], // Cape Town
  eastasia: [22.27, 114.19], // Hong Kong
  southeastasia: [1.28, 103.83], // Singapore
  japaneast: [35.68, 139.77], // Tokyo
  japanwest: [34.69, 135.5], // Osaka
  koreacentral: [37.57, 126.98], // Seoul
  koreasouth: [35.18, 129.08], // Busan
  centralindia: [18.58, 73.92], // Pune
  southindia: [12.98, 80.16], // Chennai
  westindia: [19.09, 72.87], // Mumbai
  jioindiawest: [22.47, 70.06], // Jamnagar
  jioindiacentral: [21.15, 79.09], // Nagpur
  australiaeast: [-33.86, 151.21], // New South Wales
  australiasoutheast: [-37.81, 144.96], // Victoria
  australiacentral: [-35.31, 149.12], // Canberra
  australiacentral2: [-35.31, 149.12], // Canberra
  newzealandnorth: [-36.85, 174.76], // Auckland
  indonesiacentral: [-6.21, 106.85], // Jakarta
  malaysiawest: [3.14, 101.69], // Kuala Lumpur
  taiwannorth: [25.03, 121.57], // Taipei
};

const PLACES: Record<CloudProvider, Record<string, Place>> = { aws: AWS, gcp: GCP, azure: AZURE };

/** Coordinates of a provider's region, or null for a region this table does not know. */
export function regionPlace(provider: CloudProvider, region: string): Place | null {
  return Object.hasOwn(PLACES[provider], region) ? PLACES[provider][region]! : null;
}

/** Every region of a provider with its coordinates. */
export function providerRegions(provider: CloudProvider): [string, Place][] {
  return Object.entries(PLACES[provider]);
}

export function isCloudProvider(value: string): value is CloudProvider {
  return (CLOUD_PROVIDERS as readonly string[]).includes(value);
}
