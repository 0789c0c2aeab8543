// create-plugin conventions: webpack 5 + swc-loader, one AMD dist/<subdir>/module.js per
// plugin, Grafana's shared modules as externals, plugin.json and images copied beside it.
// Each plugin is its own compilation so its lazy chunks (noVNC) sit next to its module.js.
const path = require('node:path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const webpack = require('webpack');

const externals = require('./externals');
const { fillPlaceholders } = require('./placeholders');
const { PACKAGES, findPlugins } = require('./plugins');

const DIST = PACKAGES[0].dist;
// @nester/contracts (what crosses to nester and the adapter) is bundled from its TypeScript
// sources, as jest and the type check read it: no stale dist/, and `--watch` sees its changes.
const CONTRACTS_SRC = path.join(__dirname, '..', '..', 'common', 'contracts', 'src');

/** One compilation: `top` is the plugin Grafana installs (the app, or the plugin itself). */
function configFor(plugin, top, production, outputRoot = plugin.pkg?.dist ?? DIST) {
  const outputDir = path.join(outputRoot, plugin.subdir);
  const fallbackPublicPath = `public/plugins/${top.id}/${plugin.subdir ? `${plugin.subdir}/` : ''}`;
  const version = plugin.pkg?.version;
  return {
    name: plugin.id,
    mode: production ? 'production' : 'development',
    target: ['web', 'es2020'],
    context: plugin.dir,
    devtool: 'source-map',
    entry: { module: plugin.entry },
    output: {
      path: outputDir,
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      library: { type: 'amd' },
      publicPath: fallbackPublicPath,
      uniqueName: plugin.id,
      crossOriginLoading: 'anonymous',
    },
    externalsType: 'amd',
    externals,
    resolve: {
      extensions: ['.ts', '.tsx', '.js', '.jsx', '.mjs'],
      alias: { '@nester/contracts': CONTRACTS_SRC },
    },
    module: {
      rules: [
        {
          test: /\.[jt]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic' } },
                target: 'es2020',
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(svg|png|jpe?g|gif)$/, type: 'asset/resource', generator: { filename: 'img/[name][ext]' } },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({ __NESTER_FALLBACK_PUBLIC_PATH__: JSON.stringify(fallbackPublicPath) }),
      new CopyWebpackPlugin({
        patterns: [
          {
            from: 'plugin.json',
            to: '.',
            transform: (content) => fillPlaceholders(content.toString(), plugin.id, version),
          },
          { from: 'img', to: 'img', noErrorOnMissing: true },
          {
            from: 'README.md',
            to: '.',
            noErrorOnMissing: true,
            transform: (content) => fillPlaceholders(content.toString(), plugin.id, version),
          },
        ],
      }),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

module.exports = (env = {}) => {
  const production = env.production !== false;
  return PACKAGES.flatMap((pkg) => {
    const [top, ...nested] = findPlugins(pkg);
    if (!top || top.subdir !== '') {
      throw new Error(`${pkg.src}: no plugin.json at the top of src/`);
    }
    return [top, ...nested].map((plugin) => configFor(plugin, top, production));
  });
};
module.exports.DIST = DIST;
module.exports.PACKAGES = PACKAGES;
module.exports.configFor = configFor;
