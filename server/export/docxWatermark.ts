import { ImportedXmlComponent, Paragraph, type ParagraphChild } from 'docx';

/**
 * The draft watermark of the DOCX as Word makes one (Design → Watermark →
 * "DRAFT"): a VML WordArt shape in the header, centred on the page, turned
 * 45°, behind the text (negative z-index), pale. Word and LibreOffice show it
 * on every page and keep it out of the body's text.
 */

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Word's own shape type 136 (plain-text WordArt), as Word writes it for a watermark. */
const TEXT_PATH_TYPE = `<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>`;

/** The header paragraph holding the watermark shape (and nothing to read). */
export function watermarkParagraph(text: string): Paragraph {
  const style = [
    'position:absolute',
    'margin-left:0',
    'margin-top:0',
    'width:460pt',
    'height:64pt',
    'rotation:315',
    'z-index:-251657216',
    'mso-position-horizontal:center',
    'mso-position-horizontal-relative:margin',
    'mso-position-vertical:center',
    'mso-position-vertical-relative:margin',
  ].join(';');
  const shape =
    `<w:r><w:rPr><w:noProof/></w:rPr><w:pict>${TEXT_PATH_TYPE}` +
    `<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" style="${style}" o:allowincell="f" fillcolor="#b4233c" stroked="f">` +
    `<v:fill opacity=".16"/><v:textpath style="font-family:&quot;DejaVu Sans&quot;;font-size:1pt;font-weight:bold" string="${escape(text)}"/>` +
    `<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>`;
  // A rootless component: written as the run it holds, inside the paragraph.
  const run = ImportedXmlComponent.fromXmlString(shape) as unknown as ParagraphChild;
  return new Paragraph({ children: [run] });
}
