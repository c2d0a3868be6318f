<?xml version="1.0" encoding="utf-8"?>
<!-- What a browser shows for the hub's RSS 2.0 and Atom feeds: a readable page that says how to
     subscribe. Feed readers ignore the xml-stylesheet instruction that points here. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no"
      doctype-system="about:legacy-compat"/>

  <!-- Same path as reverse("feeds:subscribe"); a test holds the two together. -->
  <xsl:variable name="subscribe" select="'/subscribe/'"/>

  <xsl:template match="/rss/channel">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="description" select="description"/>
      <xsl:with-param name="home" select="link"/>
      <xsl:with-param name="address" select="atom:link[@rel='first']/@href"/>
      <xsl:with-param name="items" select="item"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/atom:feed">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="description" select="atom:subtitle"/>
      <xsl:with-param name="home" select="atom:link[@rel='alternate']/@href"/>
      <xsl:with-param name="address" select="atom:link[@rel='first']/@href"/>
      <xsl:with-param name="items" select="atom:entry"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/">
    <xsl:apply-templates select="rss/channel | atom:feed"/>
  </xsl:template>

  <xsl:template name="page">
    <xsl:param name="title"/>
    <xsl:param name="description"/>
    <xsl:param name="home"/>
    <xsl:param name="address"/>
    <xsl:param name="items"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> (web feed)</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml"/>
        <link rel="stylesheet" href="/static/css/hub.css"/>
        <link rel="stylesheet" href="/static/feeds/feed.css"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="site-title" href="{$home}"><xsl:value-of select="$title"/></a>
            <nav class="site-nav" aria-label="Site">
              <a href="{$home}">Read on the site</a>
              <a href="{$subscribe}">Subscribe</a>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap feed-preview">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="feed-preview__description"><xsl:value-of select="$description"/></p>
          <section class="feed-preview__how" aria-labelledby="feed-how">
            <h2 id="feed-how">This is a web feed</h2>
            <p>Copy its address into your feed reader to get new posts as they appear:</p>
            <p><code class="feed-preview__address"><xsl:value-of select="$address"/></code></p>
            <p>New to feeds? The <a href="{$subscribe}">Subscribe page</a> explains how, and lists
              a feed for every category.</p>
          </section>
          <h2>Latest posts</h2>
          <ol class="feed-preview__items">
            <xsl:apply-templates select="$items"/>
          </ol>
          <p><a href="{$home}">Read all posts on the site</a></p>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li class="feed-preview__item">
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <!-- "Mon, 02 Nov 2026 10:00:00 +0000": the day, month and year. -->
      <p class="card__meta"><xsl:value-of select="substring(pubDate, 6, 11)"/></p>
      <!-- The description is the summary escaped as HTML; show it as the text it was. -->
      <p>
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="feed-preview__item">
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p class="card__meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- Undo django.utils.html.escape: &lt; &gt; &quot; &#x27; and, last, &amp;. -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&amp;')">
        <xsl:value-of select="substring-before($text, '&amp;')"/>
        <xsl:variable name="rest" select="substring-after($text, '&amp;')"/>
        <xsl:choose>
          <xsl:when test="starts-with($rest, 'amp;')">&amp;<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 5)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($rest, 'lt;')">&lt;<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 4)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($rest, 'gt;')">&gt;<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 4)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($rest, 'quot;')">"<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 6)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($rest, '#x27;')">'<xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 6)"/></xsl:call-template></xsl:when>
          <xsl:otherwise>&amp;<xsl:call-template name="unescape"><xsl:with-param name="text" select="$rest"/></xsl:call-template></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
