export const SHOP_INFO = `#graphql
  query ShopInfo {
    shop {
      id name myshopifyDomain currencyCode ianaTimezone
      plan { publicDisplayName partnerDevelopment shopifyPlus }
    }
  }`;
