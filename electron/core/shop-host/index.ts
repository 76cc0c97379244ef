/** This till hosting the shop database (issue 16): see README.md. */
export { startShopHost, generateShopPassword, defaultHostAddress, type StartShopHostOptions, type ShopHost } from './shop-host';
export { ShopHostError, type ShopHostErrorCode } from './errors';
export { shopHostHba } from './host-hba';
