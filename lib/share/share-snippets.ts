/** What a share link can be pasted as: the link, the player's iframe, and image-links for Markdown and forums. */
export interface ShareSnippets {
  link: string;
  embed: string;
  markdown: string;
  bbcode: string;
}

const markdownText = (text: string) => text.replace(/[\\[\]]/g, (char) => `\\${char}`);
// Markdown link targets end at a space or parenthesis; our URLs have neither, but a proxy's might.
const markdownUrl = (url: string) => url.replace(/[ ()]/g, (char) => encodeURIComponent(char));
const bbcodeUrl = (url: string) => url.replace(/[[\]]/g, (char) => encodeURIComponent(char));

/** `embed` is the oEmbed answer's html (the same iframe every consumer gets); `poster` its thumbnail. */
export function shareSnippets(share: { link: string; title: string; poster: string; embed: string }): ShareSnippets {
  return {
    link: share.link,
    embed: share.embed,
    markdown: `[![${markdownText(share.title)}](${markdownUrl(share.poster)})](${markdownUrl(share.link)})`,
    bbcode: `[url=${bbcodeUrl(share.link)}][img]${bbcodeUrl(share.poster)}[/img][/url]`,
  };
}
