/**
 * GLSL of the slot levels (see SlotLayer for the why). three.js compiles ShaderMaterial as
 * GLSL ES 3.00 on WebGL2, declares position/normal/instanceMatrix and the matrices, and maps
 * `varying`/`gl_FragColor`; texelFetch reads the slot data texture by integer texel.
 *
 * Colours in the texture are sRGB bytes and are written out as they are (no colour-space
 * conversion), lit by a fixed light like the scene's sun plus a sky term, so bars read the
 * same as the palette's legend.
 */
export const slotVertexShader = /* glsl */ `
attribute vec2 slotRange; // first slot (texture order), slots on this level
attribute vec3 levelSize; // the level box in metres: width, depth, height

varying vec3 vLocal; // -0.5..0.5 in the level box
varying vec3 vNormal;
flat varying vec2 vRange;
flat varying vec3 vSize;

void main() {
  vLocal = position;
  vRange = slotRange;
  vSize = levelSize;
  mat4 model = modelMatrix * instanceMatrix;
  // The box's face normals stay on their axes under the box's own scale: no inverse-transpose needed.
  vNormal = normalize(mat3(model) * normal);
  gl_Position = projectionMatrix * viewMatrix * model * vec4(position, 1.0);
}
`;

export const slotFragmentShader = /* glsl */ `
uniform sampler2D slotData;
uniform float texWidth;
uniform float muted; // 1: grey the look (another layer colours the slots' faces)

varying vec3 vLocal;
varying vec3 vNormal;
flat varying vec2 vRange;
flat varying vec3 vSize;

vec4 texel(float t) {
  int i = int(t + 0.5);
  int w = int(texWidth);
  return texelFetch(slotData, ivec2(i % w, i / w), 0);
}

const vec3 MISMATCH = vec3(1.0, 0.17, 0.84);
const vec3 SELECTED = vec3(1.0);
const vec3 LIGHT = normalize(vec3(-0.4, -0.8, 1.5));

void main() {
  float n = max(vRange.y, 1.0);
  float u = (vLocal.x + 0.5) * n;
  float k = clamp(floor(u), 0.0, n - 1.0);
  float slotW = vSize.x / n;
  float xm = (u - k) * slotW; // metres from the slot's left edge
  // A gap between neighbours, so each slot reads as its own block.
  float gap = min(0.025, 0.06 * slotW);
  if (xm < gap || slotW - xm < gap) discard;

  float slot = vRange.x + k;
  vec4 look = texel(2.0 * slot);
  vec4 flags = texel(2.0 * slot + 1.0);
  bool mismatch = flags.r > 0.5;
  bool selected = flags.g > 0.5;
  bool offline = flags.b > 0.5;
  bool hovered = flags.a > 0.5;

  float h = vLocal.z + 0.5; // 0 on the board .. 1 at the top of the level's box
  // Distance in metres to the nearest edge of this slot's box, on the face being drawn: of the
  // three distances to the box's sides, the face's own is about 0; the edge is the next one.
  float dx = min(xm - gap, slotW - gap - xm);
  float dy = min(vLocal.y + 0.5, 0.5 - vLocal.y) * vSize.y;
  float dz = min(h, 1.0 - h) * vSize.z;
  float edge = dx + dy + dz - min(dx, min(dy, dz)) - max(dx, max(dy, dz));
  float frame = clamp(0.18 * min(slotW, vSize.z), 0.012, 0.035);
  bool onFrame = edge < frame;

  vec3 colour = offline ? vec3(0.42) : look.rgb;
  colour = mix(colour, vec3(0.55 + 0.2 * dot(colour, vec3(0.3, 0.59, 0.11))), 0.85 * muted);
  if (h > look.a + 0.002) {
    // Above the stock: empty space, where only a flagged slot's frame is drawn.
    if (onFrame && (selected || mismatch || hovered)) colour = selected || (hovered && !mismatch) ? SELECTED : MISMATCH;
    else discard;
  } else if (onFrame && selected) {
    colour = SELECTED;
  } else if (onFrame && mismatch) {
    colour = MISMATCH;
  }
  // Drawn double-sided: above a part-full bar the inside of the box's far faces shows the bar's depth.
  vec3 nrm = normalize(vNormal) * (gl_FrontFacing ? 1.0 : -1.0);
  float light = 0.5 + 0.4 * max(dot(nrm, LIGHT), 0.0) + 0.15 * (nrm.z * 0.5 + 0.5);
  if (selected || hovered) light += 0.15;
  gl_FragColor = vec4(colour * light, 1.0);
}
`;
