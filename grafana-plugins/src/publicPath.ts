// Lazy chunks (noVNC) are fetched relative to this module's own URL, which SystemJS's AMD
// loader hands over as the `module` dependency, so the plugin works under any appSubUrl or CDN.
import amdModule from 'amd-module';

declare const __NESTER_FALLBACK_PUBLIC_PATH__: string;

// Webpack turns an assignment to this free variable into its chunk base URL.
declare let __webpack_public_path__: string;
// eslint-disable-next-line prefer-const -- the declaration above is ambient; this is the real write
__webpack_public_path__ = amdModule?.uri ? new URL('./', amdModule.uri).href : __NESTER_FALLBACK_PUBLIC_PATH__;
