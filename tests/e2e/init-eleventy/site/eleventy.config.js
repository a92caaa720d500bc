// The site's Eleventy settings.
module.exports = function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("src/img");
  // input: "old-src" was the folder before the move
  return {
    dir: { input: "src", output: "_site", includes: "_includes" },
    markdownTemplateEngine: "njk",
  };
};
